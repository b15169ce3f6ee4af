// URL parsing with the semantics of Go's net/url.Parse, which upstream
// Ignition uses to validate every URL in a config: what it rejects, and how
// it splits what it accepts. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flint::schema {

struct GoUrl {
  std::string scheme;     // lower-cased
  std::string opaque;     // set for "scheme:rest" where rest has no leading '/'
  std::string host;       // unescaped
  std::string path;       // unescaped
  std::string raw_query;  // as written, without '?'
};

// The parsed URL, or nothing where Go's url.Parse returns an error.
std::optional<GoUrl> ParseGoUrl(std::string_view raw);

// The values of `key` in a raw query string, as Go's url.Values from
// ParseQuery (pairs that fail to parse are skipped). Empty when absent;
// `present` tells an absent key from one with no values.
std::vector<std::string> GoQueryValues(std::string_view raw_query, std::string_view key,
                                       bool* present);

}  // namespace flint::schema
