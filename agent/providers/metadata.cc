#include "agent/providers/metadata.h"

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
  Fetcher& fetcher = MetadataFetcher(ctx, request.platform);
  schema::Resource resource;
  resource.source = request.url;
  resource.http_headers = request.headers;
  ctx.log.Info("fetching the " + request.platform + " user data from " + DescribeSource(request.url));
  try {
    return fetcher.FetchToString(resource, schema::Path());
  } catch (const Failure& f) {
    if (request.not_found_is_empty && IsNotFound(f)) {
      ctx.log.Info("the " + request.platform + " metadata service has no user data: continuing without a config");
      return std::nullopt;
    }
    throw Failure("fetching the " + request.platform + " user data").Url(RedactUrl(request.url)).Cause(f.cause());
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

Fetcher& MetadataFetcher(ProviderContext& ctx, std::string_view platform) {
  if (ctx.fetcher == nullptr) throw Failure::Message("internal error: no fetcher for platform " + std::string(platform));
  return *ctx.fetcher;
}

}  // namespace flint::agent
