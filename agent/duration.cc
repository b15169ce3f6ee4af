#include "agent/duration.h"

#include <array>
#include <cstdint>
#include <utility>

namespace flint::agent {
namespace {

constexpr uint64_t kMaxMagnitude = uint64_t{1} << 63;  // |INT64_MIN|

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::optional<uint64_t> UnitScale(std::string_view unit) {
  static constexpr std::array<std::pair<std::string_view, uint64_t>, 8> kUnits = {{
      {"ns", 1},
      {"us", 1000},
      {"\xC2\xB5s", 1000},  // U+00B5 micro sign
      {"\xCE\xBCs", 1000},  // U+03BC Greek small letter mu
      {"ms", 1000000},
      {"s", 1000000000},
      {"m", 60ull * 1000000000},
      {"h", 3600ull * 1000000000},
  }};
  for (const auto& [name, scale] : kUnits) {
    if (name == unit) return scale;
  }
  return std::nullopt;
}

// Consumes leading digits into an integer; nullopt on overflow past 2^63.
std::optional<uint64_t> LeadingInt(std::string_view& s) {
  uint64_t x = 0;
  size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (x > kMaxMagnitude / 10) return std::nullopt;
    x = x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (x > kMaxMagnitude) return std::nullopt;
  }
  s.remove_prefix(i);
  return x;
}

// Consumes the digits after '.', keeping as many as fit (as Go does).
void LeadingFraction(std::string_view& s, uint64_t& value, double& scale) {
  bool overflow = false;
  size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (overflow) continue;
    if (value > (kMaxMagnitude - 1) / 10) {
      overflow = true;
      continue;
    }
    uint64_t y = value * 10 + static_cast<uint64_t>(s[i] - '0');
    if (y > kMaxMagnitude) {
      overflow = true;
      continue;
    }
    value = y;
    scale *= 10;
  }
  s.remove_prefix(i);
}

// The fraction v / 10^prec without trailing zeros (".5"), and v / 10^prec.
std::string FormatFraction(uint64_t& v, int prec) {
  std::string digits;
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    uint64_t digit = v % 10;
    print = print || digit != 0;
    if (print) digits.insert(digits.begin(), static_cast<char>('0' + digit));
    v /= 10;
  }
  return print ? "." + digits : "";
}

}  // namespace

std::optional<Nanoseconds> ParseGoDuration(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || IsDigit(s[0]))) return std::nullopt;
    size_t before = s.size();
    std::optional<uint64_t> v = LeadingInt(s);
    if (!v) return std::nullopt;
    bool pre = s.size() != before;
    uint64_t fraction = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t at = s.size();
      LeadingFraction(s, fraction, scale);
      post = s.size() != at;
    }
    if (!pre && !post) return std::nullopt;  // "." or ".s"
    size_t i = 0;
    while (i < s.size() && s[i] != '.' && !IsDigit(s[i])) ++i;
    if (i == 0) return std::nullopt;  // missing unit
    std::optional<uint64_t> unit = UnitScale(s.substr(0, i));
    s.remove_prefix(i);
    if (!unit) return std::nullopt;
    if (*v > kMaxMagnitude / *unit) return std::nullopt;
    uint64_t part = *v * *unit;
    if (fraction > 0) {
      part += static_cast<uint64_t>(static_cast<double>(fraction) *
                                    (static_cast<double>(*unit) / scale));
      if (part > kMaxMagnitude) return std::nullopt;
    }
    total += part;
    if (total > kMaxMagnitude) return std::nullopt;
  }
  if (negative) {
    return total == kMaxMagnitude ? INT64_MIN : -static_cast<Nanoseconds>(total);
  }
  if (total > kMaxMagnitude - 1) return std::nullopt;
  return static_cast<Nanoseconds>(total);
}

std::string FormatGoDuration(Nanoseconds d) {
  bool negative = d < 0;
  uint64_t u = negative ? uint64_t{0} - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
  std::string out;
  if (u < 1000000000) {
    if (u == 0) return "0s";
    if (u < 1000) {
      out = std::to_string(u) + "ns";
    } else if (u < 1000000) {
      std::string frac = FormatFraction(u, 3);
      out = std::to_string(u) + frac + "\xC2\xB5s";
    } else {
      std::string frac = FormatFraction(u, 6);
      out = std::to_string(u) + frac + "ms";
    }
  } else {
    std::string frac = FormatFraction(u, 9);
    out = std::to_string(u % 60) + frac + "s";
    u /= 60;
    if (u > 0) {
      out = std::to_string(u % 60) + "m" + out;
      u /= 60;
      if (u > 0) out = std::to_string(u) + "h" + out;
    }
  }
  return negative ? "-" + out : out;
}

}  // namespace flint::agent
