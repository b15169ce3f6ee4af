// Parsing systemd unit file contents the way upstream Ignition does (with
// go-systemd's unit.Deserialize), so that the same contents are accepted or
// rejected with the same message. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flint::schema {

struct UnitOption {
  std::string section;
  std::string name;
  std::string value;
};

struct UnitFile {
  std::vector<UnitOption> options;  // sections without options leave no trace
  // Set when the contents do not parse: go-systemd's message, e.g.
  // "unable to find end of section" or "line too long (max 2048 bytes)".
  std::optional<std::string> error;
};

UnitFile ParseUnitFile(std::string_view contents);

// Go's unicode.IsSpace for a code point.
bool IsGoSpace(char32_t r);
// Go's strings.TrimSpace (Unicode white space at both ends).
std::string_view GoTrimSpace(std::string_view s);

}  // namespace flint::schema
