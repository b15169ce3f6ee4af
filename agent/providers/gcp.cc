#include "agent/providers/metadata.h"

namespace flint::agent {

// GCE metadata, with upstream's Metadata-Flavor header; no user-data attribute (404) is an empty config.
std::string FetchGcpConfig(ProviderContext& ctx) {
  MetadataRequest request{
      "gcp",
      MetadataUrl(ctx.env, "http://metadata.google.internal", "/computeMetadata/v1/instance/attributes/user-data"),
      {{"Metadata-Flavor", "Google"}},
      true};
  return FetchMetadata(ctx, request).value_or("");
}

}  // namespace flint::agent
