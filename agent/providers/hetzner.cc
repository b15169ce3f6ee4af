#include "agent/providers/metadata.h"

namespace flint::agent {

// The Hetzner Cloud metadata service; 404 is an empty config.
std::string FetchHetznerConfig(ProviderContext& ctx) {
  MetadataRequest request{"hetzner", MetadataUrl(ctx.env, "http://169.254.169.254", "/hetzner/v1/userdata"), {}, true};
  return FetchMetadata(ctx, request).value_or("");
}

}  // namespace flint::agent
