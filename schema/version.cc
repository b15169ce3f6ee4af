#include "schema/version.h"

#include <array>
#include <cctype>

namespace flint::schema {
namespace {

constexpr std::array<std::string_view, kVersionCount> kNames = {
    "3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.5.0", "3.6.0", "3.7.0-experimental",
};

// A numeric identifier: digits, no leading zero unless it is "0".
bool IsNumericIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return s.size() == 1 || s[0] != '0';
}

// Dot-separated identifiers of [0-9A-Za-z-], none empty.
bool IsIdentifierList(std::string_view s) {
  if (s.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view part = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (part.empty()) return false;
    for (char c : part)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

std::string_view VersionString(Version v) { return kNames[static_cast<int>(v)]; }

std::optional<Version> VersionFromString(std::string_view s) {
  for (int i = 0; i < kVersionCount; ++i)
    if (kNames[i] == s) return static_cast<Version>(i);
  return std::nullopt;
}

bool IsSemver(std::string_view s) {
  std::string_view core = s, pre, build;
  if (size_t plus = core.find('+'); plus != core.npos) {
    build = core.substr(plus + 1);
    core = core.substr(0, plus);
    if (!IsIdentifierList(build)) return false;
  }
  if (size_t dash = core.find('-'); dash != core.npos) {
    pre = core.substr(dash + 1);
    core = core.substr(0, dash);
    if (!IsIdentifierList(pre)) return false;
  }
  int parts = 0;
  size_t start = 0;
  while (true) {
    size_t dot = core.find('.', start);
    if (!IsNumericIdentifier(core.substr(start, dot == core.npos ? core.npos : dot - start)))
      return false;
    ++parts;
    if (dot == core.npos) break;
    start = dot + 1;
  }
  return parts == 3;
}

}  // namespace flint::schema
