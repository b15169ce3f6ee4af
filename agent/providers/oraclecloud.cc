#include "agent/providers/metadata.h"

namespace flint::agent {

// Oracle Cloud's Instance Metadata Service v2: the fixed header
// `Authorization: Bearer Oracle` (not a secret), base64 user data; 404 is an
// empty config.
std::string FetchOraclecloudConfig(ProviderContext& ctx) {
  MetadataRequest request{"oraclecloud",
                          MetadataUrl(ctx.env, "http://169.254.169.254", "/opc/v2/instance/metadata/user_data"),
                          {{"Authorization", "Bearer Oracle"}},
                          true};
  std::optional<std::string> encoded = FetchMetadata(ctx, request);
  return encoded ? DecodeUserData("oraclecloud", *encoded) : "";
}

}  // namespace flint::agent
