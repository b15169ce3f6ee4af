#include "agent/flags.h"

#include <array>

namespace flint::agent {
namespace {

enum class Kind { kString, kBool, kDuration, kPlatform, kStage };

struct FlagDef {
  std::string_view name;
  Kind kind;
  std::string Flags::*string_member = nullptr;
  bool Flags::*bool_member = nullptr;
};

// Upstream's `ignition` accepts exactly these flags.
const std::array<FlagDef, 10> kFlags = {{
    {"config-cache", Kind::kString, &Flags::config_cache},
    {"config-provided-flag", Kind::kString, &Flags::config_provided},
    {"fetch-timeout", Kind::kDuration},
    {"log-to-stdout", Kind::kBool, nullptr, &Flags::log_to_stdout},
    {"neednet", Kind::kString, &Flags::neednet},
    {"platform", Kind::kPlatform, &Flags::platform},
    {"root", Kind::kString, &Flags::root},
    {"stage", Kind::kStage, &Flags::stage},
    {"state-file", Kind::kString, &Flags::state_file},
    {"version", Kind::kBool, nullptr, &Flags::version},
}};

const FlagDef* FindFlag(std::string_view name) {
  for (const FlagDef& f : kFlags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// strconv.ParseBool.
std::optional<bool> ParseGoBool(std::string_view s) {
  for (std::string_view t : {"1", "t", "T", "true", "TRUE", "True"}) {
    if (s == t) return true;
  }
  for (std::string_view f : {"0", "f", "F", "false", "FALSE", "False"}) {
    if (s == f) return false;
  }
  return std::nullopt;
}

// Sets a non-boolean flag; returns the error text of Go's Value.Set.
std::optional<std::string> SetValue(const FlagDef& def, std::string_view value, Flags& flags,
                                    const FlagChecks& checks) {
  switch (def.kind) {
    case Kind::kDuration: {
      std::optional<Nanoseconds> d = ParseGoDuration(value);
      if (!d) return "parse error";
      flags.fetch_timeout = *d;
      return std::nullopt;
    }
    case Kind::kPlatform:
      if (!checks.platform_known || !checks.platform_known(value)) {
        return std::string(value) + " is not a valid platform";
      }
      break;
    case Kind::kStage:
      if (!checks.stage_known || !checks.stage_known(value)) {
        return std::string(value) + " is not a valid stage";
      }
      break;
    case Kind::kString:
    case Kind::kBool:
      break;
  }
  flags.*def.string_member = std::string(value);
  return std::nullopt;
}

FlagParse Fail(std::string message) {
  FlagParse p;
  p.outcome = FlagParse::Outcome::kError;
  p.error = std::move(message);
  return p;
}

}  // namespace

std::string GoQuote(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

FlagParse ParseFlags(const std::vector<std::string>& args, const FlagChecks& checks) {
  FlagParse result;
  Flags& flags = result.flags;
  size_t i = 0;
  while (i < args.size()) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg[0] != '-') break;  // first non-flag argument
    size_t dashes = 1;
    if (arg[1] == '-') {
      dashes = 2;
      if (arg.size() == 2) {  // "--" ends the flags
        ++i;
        break;
      }
    }
    std::string name = arg.substr(dashes);
    if (name.empty() || name[0] == '-' || name[0] == '=') {
      return Fail("bad flag syntax: " + arg);
    }
    ++i;
    std::optional<std::string> value;
    if (size_t eq = name.find('=', 1); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const FlagDef* def = FindFlag(name);
    if (def == nullptr) {
      if (name == "help" || name == "h") {
        result.outcome = FlagParse::Outcome::kHelp;
        return result;
      }
      return Fail("flag provided but not defined: -" + name);
    }
    if (def->kind == Kind::kBool) {
      std::optional<bool> b = value ? ParseGoBool(*value) : std::optional<bool>(true);
      if (!b) return Fail("invalid boolean value " + GoQuote(*value) + " for -" + name + ": parse error");
      flags.*def->bool_member = *b;
      continue;
    }
    if (!value) {
      if (i == args.size()) return Fail("flag needs an argument: -" + name);
      value = args[i++];
    }
    if (std::optional<std::string> err = SetValue(*def, *value, flags, checks)) {
      return Fail("invalid value " + GoQuote(*value) + " for flag -" + name + ": " + *err);
    }
  }
  flags.args.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return result;
}

std::optional<std::string> MissingRequiredFlag(const Flags& flags) {
  if (flags.platform.empty()) return "'--platform' must be provided";
  if (flags.stage.empty()) return "'--stage' must be provided";
  return std::nullopt;
}

const std::vector<FlagDoc>& FlagDocs() {
  static const std::vector<FlagDoc> kDocs = {
      {"platform", "NAME", "the platform to fetch the config from (see PLATFORMS)", ""},
      {"stage", "NAME", "the stage to run (see STAGES)", ""},
      {"root", "DIR", "root of the target filesystem", "/"},
      {"config-cache", "FILE", "where fetch stages cache the rendered config", "/run/ignition.json"},
      {"fetch-timeout", "DURATION", "initial time to wait for the config (Go duration: 90s, 2m0s, 1h2m3.5s)",
       FormatGoDuration(kDefaultFetchTimeout)},
      {"neednet", "FILE", "flag file fetch-offline writes when networking is needed",
       "/run/ignition/neednet"},
      {"config-provided-flag", "FILE", "flag file the fetch stages write when a user config was provided",
       "/run/ignition/config-provided"},
      {"state-file", "FILE", "where stages keep state for later stages", "/run/ignition/state"},
      {"log-to-stdout", "", "log to stdout as 'LEVEL: stage: message' instead of the journal", ""},
      {"version", "", "print the version and exit", ""},
  };
  return kDocs;
}

}  // namespace flint::agent
