#include "agent/providers/metadata.h"

namespace flint::agent {

// The droplet metadata service. Upstream treats every failure here, 404 included, as a failure.
std::string FetchDigitaloceanConfig(ProviderContext& ctx) {
  MetadataRequest request{
      "digitalocean", MetadataUrl(ctx.env, "http://169.254.169.254", "/metadata/v1/user-data"), {}, false};
  return FetchMetadata(ctx, request).value_or("");
}

}  // namespace flint::agent
