#include <random>

#include "agent/error.h"
#include "agent/providers/metadata.h"

namespace flint::agent {

// Scaleway serves user data only to requests from a source port below 1024
// (a random one in 1..1022, as upstream), which the Fetcher cannot choose,
// so this one GET goes through the plain HTTP client. IPv4 only (upstream
// also races the IPv6 address fd00:42::42). 404 is an empty config.
std::string FetchScalewayConfig(ProviderContext& ctx) {
  if (ctx.offline) throw NeedNet("platform scaleway reads its config from the metadata service");
  PlainHttpRequest request;
  request.url = MetadataUrl(ctx.env, "http://169.254.42.42", "/user_data/cloud-init");
  std::random_device seed;
  std::mt19937 random(seed());
  std::uniform_int_distribution<int> port(1, 1022);
  ctx.log.Info("fetching the scaleway user data from '" + request.url + "'");
  PlainHttpResponse response = PlainHttpWithRetries(ctx, "scaleway", request, [&] { return port(random); });
  if (response.status == 404) {
    ctx.log.Info("the scaleway metadata service has no user data: continuing without a config");
    return "";
  }
  if (response.status != 200) {
    throw Failure("fetching the scaleway user data")
        .Url(request.url)
        .Cause("HTTP status " + std::to_string(response.status));
  }
  return response.body;
}

}  // namespace flint::agent
