#include <string>

#include "agent/error.h"
#include "agent/fetched_config.h"
#include "agent/providers/metadata.h"

namespace flint::agent {

// Akamai (Linode) Metadata Service: a token from `PUT /v1/token` (expiry
// header 300 s, `Accept: text/plain`), then base64 user data with
// `Metadata-Token` and `Accept: */*` (the service refuses the Ignition
// Accept header). Every failure, 404 included, is a failure, as upstream.
// The token is never logged.
std::string FetchAkamaiConfig(ProviderContext& ctx) {
  if (ctx.offline) throw NeedNet("platform akamai reads its config from the metadata service");
  HttpRequest token_request;
  token_request.method = "PUT";
  token_request.url = MetadataUrl(ctx.env, "http://169.254.169.254", "/v1/token");
  token_request.headers = {{"Accept", "text/plain"}, {"Metadata-Token-Expiry-Seconds", "300"}};
  token_request.what = "the akamai metadata token";
  std::optional<std::string> answer = MetadataFetcher(ctx, "akamai").FetchHttp(token_request);
  std::string token = answer.value_or("");
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) token.erase(0, 1);
  if (token.empty()) {
    throw Failure("fetching " + token_request.what)
        .Url(RedactUrl(token_request.url))
        .Cause(answer ? "the metadata service answered an empty token" : "resource not found");
  }
  MetadataRequest request{"akamai",
                          MetadataUrl(ctx.env, "http://169.254.169.254", "/v1/user-data"),
                          {{"Accept", "*/*"}, {"Metadata-Token", token}},
                          false};
  return DecodeUserData("akamai", FetchMetadata(ctx, request).value_or(""));
}

}  // namespace flint::agent
