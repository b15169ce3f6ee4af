#include "agent/providers/metadata.h"

namespace flint::agent {

// The Vultr metadata service; 404 is an empty config.
std::string FetchVultrConfig(ProviderContext& ctx) {
  MetadataRequest request{"vultr", MetadataUrl(ctx.env, "http://169.254.169.254", "/user-data/user-data"), {}, true};
  return FetchMetadata(ctx, request).value_or("");
}

}  // namespace flint::agent
