#include "agent/providers/metadata.h"

#include <algorithm>

#include "agent/error.h"
#include "schema/data_url.h"
#include "agent/fetched_config.h"

namespace flint::agent {

std::string MetadataUrl(const Env& env, std::string_view base, std::string_view path) {
  std::string override_base = env("FLINT_METADATA_URL");
  while (!override_base.empty() && override_base.back() == '/') override_base.pop_back();
  return (override_base.empty() ? std::string(base) : override_base) + std::string(path);
}

bool IsNotFound(const Failure& f) {
  // The fetcher reports HTTP 404 with this cause (issue 3: 404 -> "resource
  // not found").
  return f.cause().find("resource not found") != std::string::npos;
}

std::optional<std::string> FetchMetadata(ProviderContext& ctx, const MetadataRequest& request) {
  if (ctx.offline) {
    throw NeedNet("platform " + request.platform + " reads its config from the metadata service " +
                  DescribeSource(request.url));
  }
  if (ctx.fetcher == nullptr) throw Failure::Message("internal error: no fetcher for platform " + request.platform);
  schema::Resource resource;
  resource.source = request.url;
  resource.http_headers = request.headers;
  ctx.log.Info("fetching the " + request.platform + " user data from " + DescribeSource(request.url));
  try {
    return ctx.fetcher->FetchToString(resource, schema::Path());
  } catch (const Failure& f) {
    if (request.not_found_is_empty && IsNotFound(f)) {
      ctx.log.Info("the " + request.platform + " metadata service has no user data: continuing without a config");
      return std::nullopt;
    }
    throw Failure("fetching the " + request.platform + " user data").Url(RedactedUrl(request.url)).Cause(f.cause());
  }
}

std::string DecodeUserData(std::string_view platform, std::string_view encoded) {
  std::optional<std::string> decoded = schema::DecodeStdBase64(encoded);
  if (!decoded) {
    throw Failure("decoding the user data of " + std::string(platform))
        .Cause("the metadata service did not answer base64");
  }
  return *decoded;
}

PlainHttpResponse PlainHttpWithRetries(ProviderContext& ctx, std::string_view platform, PlainHttpRequest request,
                                       const std::function<int()>& fresh_local_port) {
  const int64_t budget = ctx.fetch_timeout > 0 ? ctx.fetch_timeout / 1000000000 : 120;
  int64_t waited = 0;
  int delay = 1;
  for (int attempt = 1;; ++attempt) {
    if (fresh_local_port) request.local_port = fresh_local_port();
    std::string problem;
    try {
      PlainHttpResponse response = SendPlainHttp(request);
      if (response.status < 500) return response;
      problem = "HTTP status " + std::to_string(response.status);
    } catch (const Failure& f) {
      problem = f.what();
    }
    if (waited + delay > budget) {
      throw Failure(request.method + " " + RedactedUrl(request.url) + " (" + std::string(platform) +
                    " metadata service)")
          .Cause("giving up after " + std::to_string(attempt) + " attempts in " + std::to_string(waited) +
                 "s: " + problem);
    }
    ctx.log.Warning("waiting for the " + std::string(platform) + " metadata service: " + request.method + " " +
                    RedactedUrl(request.url) + ", attempt " + std::to_string(attempt) + ": " + problem +
                    "; next try in " + std::to_string(delay) + "s");
    for (int i = 0; i < delay; ++i) SleepOneSecond(ctx);
    waited += delay;
    delay = std::min(delay * 2, 5);
  }
}

}  // namespace flint::agent
