#include "agent/providers/metadata.h"

namespace flint::agent {

// The Exoscale metadata service; 404 is an empty config.
std::string FetchExoscaleConfig(ProviderContext& ctx) {
  MetadataRequest request{"exoscale", MetadataUrl(ctx.env, "http://169.254.169.254", "/1.0/user-data"), {}, true};
  return FetchMetadata(ctx, request).value_or("");
}

}  // namespace flint::agent
