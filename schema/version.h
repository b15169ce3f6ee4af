// Spec versions flint accepts, and parsing of the `ignition.version` string.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flint::schema {

// Every accepted spec version, oldest first. Comparisons follow semver order,
// with 3.7.0-experimental after 3.6.0.
enum class Version : int {
  k3_0,
  k3_1,
  k3_2,
  k3_3,
  k3_4,
  k3_5,
  k3_6,
  k3_7_exp,
};

inline constexpr Version kOldestVersion = Version::k3_0;
inline constexpr Version kNewestVersion = Version::k3_7_exp;
// The newest stable spec: what the HTTP Accept header advertises.
inline constexpr Version kNewestStableVersion = Version::k3_6;
inline constexpr int kVersionCount = static_cast<int>(kNewestVersion) + 1;

// "3.2.0", "3.7.0-experimental".
std::string_view VersionString(Version v);

// The accepted version spelled exactly `s`, if any.
std::optional<Version> VersionFromString(std::string_view s);

// Upstream's classification of a version string that is not accepted:
// true when `s` is not semver at all ("invalid config version (couldn't parse)"),
// false when it is semver but not supported ("unsupported config version").
bool IsSemver(std::string_view s);

}  // namespace flint::schema
