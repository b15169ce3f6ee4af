#include "agent/providers/metadata.h"

namespace flint::agent {

// The UpCloud metadata service; 404 is an empty config.
std::string FetchUpcloudConfig(ProviderContext& ctx) {
  MetadataRequest request{
      "upcloud", MetadataUrl(ctx.env, "http://169.254.169.254", "/metadata/v1/user_data"), {}, true};
  return FetchMetadata(ctx, request).value_or("");
}

}  // namespace flint::agent
