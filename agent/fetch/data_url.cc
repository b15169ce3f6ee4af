#include "agent/fetch/data_url.h"

#include <cctype>
#include <cstdint>

namespace flint::agent {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    int hi = i + 1 < s.size() ? HexValue(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsDataUrl(std::string_view url) { return url.size() >= 5 && EqualsIgnoreCase(url.substr(0, 5), "data:"); }

std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (c != '\r' && c != '\n') clean += c;
  }
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < clean.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = clean[i + k];
      if (c == '=') {
        // Padding only at the very end, in the last one or two places.
        if (i + 4 != clean.size() || k < 2) return std::nullopt;
        ++pad;
        v[k] = 0;
        continue;
      }
      if (pad > 0) return std::nullopt;
      v[k] = Base64Value(c);
      if (v[k] < 0) return std::nullopt;
    }
    uint32_t n = static_cast<uint32_t>((v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3]);
    out += static_cast<char>((n >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return out;
}

std::optional<std::string> DecodeDataUrl(std::string_view url) {
  if (!IsDataUrl(url)) return std::nullopt;
  std::string_view rest = url.substr(5);
  size_t comma = rest.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  std::string_view media = rest.substr(0, comma);
  std::optional<std::string> data = PercentDecode(rest.substr(comma + 1));
  if (!data) return std::nullopt;
  constexpr std::string_view kBase64 = ";base64";
  bool base64 = media.size() >= kBase64.size() &&
                EqualsIgnoreCase(media.substr(media.size() - kBase64.size()), kBase64);
  if (!base64) return data;
  return DecodeBase64(*data);
}

}  // namespace flint::agent
