#include "agent/error.h"
#include "agent/fetched_config.h"
#include "agent/providers/metadata.h"

namespace flint::agent {

// Scaleway serves user data only to requests from a source port below 1024
// (a random one per attempt, as upstream). IPv4 only (upstream also races
// the IPv6 address fd00:42::42). 404 is an empty config.
std::string FetchScalewayConfig(ProviderContext& ctx) {
  if (ctx.offline) throw NeedNet("platform scaleway reads its config from the metadata service");
  HttpRequest request;
  request.url = MetadataUrl(ctx.env, "http://169.254.42.42", "/user_data/cloud-init");
  request.what = "the scaleway user data";
  request.privileged_source_port = true;
  ctx.log.Info("fetching the scaleway user data from " + DescribeSource(request.url));
  std::optional<std::string> body = MetadataFetcher(ctx, "scaleway").FetchHttp(request);
  if (!body) {
    ctx.log.Info("the scaleway metadata service has no user data: continuing without a config");
    return "";
  }
  return *body;
}

}  // namespace flint::agent
