#include "agent/error.h"
#include "agent/fetched_config.h"
#include "agent/providers/metadata.h"

namespace flint::agent {

// EC2 IMDSv2: a session token from `PUT /latest/api/token` (TTL header
// 21600 s), then the user data with `X-aws-ec2-metadata-token`. A 404 for
// the token (IMDSv1-only services) falls back to asking without one, as
// upstream; no user data (404) is an empty config. The token is never
// logged.
std::string FetchAwsConfig(ProviderContext& ctx) {
  const std::string user_data = MetadataUrl(ctx.env, "http://169.254.169.254", "/2019-10-01/user-data");
  if (ctx.offline) throw NeedNet("platform aws reads its config from the instance metadata service");
  HttpRequest token_request;
  token_request.method = "PUT";
  token_request.url = MetadataUrl(ctx.env, "http://169.254.169.254", "/latest/api/token");
  token_request.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
  token_request.what = "the aws IMDSv2 token";
  std::optional<std::string> token = MetadataFetcher(ctx, "aws").FetchHttp(token_request);
  MetadataRequest request{"aws", user_data, {}, true};
  if (!token) {
    ctx.log.Warning("aws: the metadata service has no IMDSv2 token endpoint (HTTP 404): asking without a token");
  } else if (token->empty()) {
    throw Failure("fetching " + token_request.what)
        .Url(RedactUrl(token_request.url))
        .Cause("the metadata service answered an empty token");
  } else {
    request.headers.push_back({"X-aws-ec2-metadata-token", *token});
  }
  return FetchMetadata(ctx, request).value_or("");
}

}  // namespace flint::agent
