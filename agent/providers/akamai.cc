#include <string>

#include "agent/error.h"
#include "agent/providers/metadata.h"

namespace flint::agent {

// Akamai (Linode) Metadata Service: a token from `PUT /v1/token` (expiry
// header 300 s, `Accept: text/plain`), then base64 user data with
// `Metadata-Token` and `Accept: */*` (the service refuses the Ignition
// Accept header). Every failure, 404 included, is a failure, as upstream.
// The token is never logged.
std::string FetchAkamaiConfig(ProviderContext& ctx) {
  if (ctx.offline) throw NeedNet("platform akamai reads its config from the metadata service");
  PlainHttpRequest token_request;
  token_request.method = "PUT";
  token_request.url = MetadataUrl(ctx.env, "http://169.254.169.254", "/v1/token");
  token_request.headers = {{"Accept", "text/plain"}, {"Metadata-Token-Expiry-Seconds", "300"}};
  PlainHttpResponse response = PlainHttpWithRetries(ctx, "akamai", token_request);
  std::string token = response.body;
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) token.erase(0, 1);
  if (response.status != 200 || token.empty()) {
    throw Failure("PUT " + token_request.url + " (akamai metadata token)")
        .Cause(response.status != 200 ? "HTTP status " + std::to_string(response.status) : "received an empty token");
  }
  MetadataRequest request{"akamai",
                          MetadataUrl(ctx.env, "http://169.254.169.254", "/v1/user-data"),
                          {{"Accept", "*/*"}, {"Metadata-Token", token}},
                          false};
  return DecodeUserData("akamai", FetchMetadata(ctx, request).value_or(""));
}

}  // namespace flint::agent
