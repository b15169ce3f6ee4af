// The agent's command-line flags, parsed exactly as upstream `ignition`
// (Go's flag package): `-x v`, `-x=v`, `--x v`, `--x=v`; booleans as `-x` or
// `-x=true|false`; parsing stops at the first non-flag argument or `--`.
// Pure: no I/O.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/duration.h"

namespace flint::agent {

inline constexpr Nanoseconds kDefaultFetchTimeout = Nanoseconds{120} * 1000000000;  // 2m0s

struct Flags {
  std::string platform;
  std::string stage;
  std::string root = "/";
  std::string config_cache = "/run/ignition.json";
  Nanoseconds fetch_timeout = kDefaultFetchTimeout;
  std::string neednet = "/run/ignition/neednet";
  std::string config_provided = "/run/ignition/config-provided";
  std::string state_file = "/run/ignition/state";
  bool log_to_stdout = false;
  bool version = false;
  // The arguments after the flags (upstream ignores them).
  std::vector<std::string> args;
};

// Validators for the -platform and -stage values.
struct FlagChecks {
  std::function<bool(std::string_view)> platform_known;
  std::function<bool(std::string_view)> stage_known;
};

struct FlagParse {
  enum class Outcome { kOk, kHelp, kError };
  Outcome outcome = Outcome::kOk;
  Flags flags;
  // For kError: Go's message, e.g. "flag provided but not defined: -x".
  std::string error;
};

FlagParse ParseFlags(const std::vector<std::string>& args, const FlagChecks& checks);

// Upstream's checks after parsing ("'--platform' must be provided"); nullopt
// when the flags name a platform and a stage.
std::optional<std::string> MissingRequiredFlag(const Flags& flags);

// One row of the flag table, for --help.
struct FlagDoc {
  std::string_view name;
  std::string_view value_name;  // empty for booleans
  std::string_view usage;
  std::string default_text;     // empty when there is no default worth showing
};
const std::vector<FlagDoc>& FlagDocs();

// Go's %q: a double-quoted string with Go escapes.
std::string GoQuote(std::string_view s);

}  // namespace flint::agent
