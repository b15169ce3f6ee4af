// Cloud metadata services: a platform's user-data URL (overridable for
// tests: FLINT_METADATA_URL=http://127.0.0.1:PORT replaces the scheme and
// host of every metadata URL), fetched through the Fetcher with the
// platform's headers. Offline (fetch-offline), they need networking.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/providers/provider.h"
#include "schema/model.h"

namespace flint::agent {

// `base` ("http://169.254.169.254") + `path` ("/latest/user-data"), with
// the FLINT_METADATA_URL override applied.
std::string MetadataUrl(const Env& env, std::string_view base, std::string_view path);

struct MetadataRequest {
  std::string platform;  // for messages
  std::string url;
  std::vector<schema::HttpHeader> headers;
  // Upstream's rule for most clouds: no user data (HTTP 404) means an empty
  // config. Where false, a 404 is a failure.
  bool not_found_is_empty = true;
};

// The body, or nullopt for a 404 that counts as empty. Throws NeedNet when
// offline, agent::Failure otherwise.
std::optional<std::string> FetchMetadata(ProviderContext& ctx, const MetadataRequest& request);

// True when `f` is the fetcher's "resource not found" (HTTP 404).
bool IsNotFound(const Failure& f);

// Decodes the base64 user data of azure, oraclecloud and akamai; throws
// agent::Failure "decoding the user data of PLATFORM" when it is not base64.
std::string DecodeUserData(std::string_view platform, std::string_view encoded);

// The fetcher of `ctx`; throws agent::Failure when there is none.
Fetcher& MetadataFetcher(ProviderContext& ctx, std::string_view platform);

}  // namespace flint::agent
