#include "schema/go_url.h"

#include <cstdint>
#include <cstring>

namespace flint::schema {
namespace {

// Go's url.encoding modes that matter for parsing.
enum class Mode { kPath, kHost, kZone, kUserPassword, kQueryComponent, kFragment };

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int Unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

bool IsAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Go's shouldEscape, for the modes parsing consults.
bool ShouldEscape(unsigned char c, Mode mode) {
  if (IsAlnum(c)) return false;
  if (mode == Mode::kHost || mode == Mode::kZone) {
    switch (c) {
      case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+':
      case ',': case ';': case '=': case ':': case '[': case ']': case '<': case '>':
      case '"':
        return false;
    }
  }
  switch (c) {
    case '-': case '_': case '.': case '~':
      return false;
    case '$': case '&': case '+': case ',': case '/': case ':': case ';': case '=':
    case '?': case '@':
      switch (mode) {
        case Mode::kPath:
          return c == '?';
        case Mode::kUserPassword:
          return c == '@' || c == '/' || c == '?' || c == ':';
        case Mode::kQueryComponent:
          return true;
        case Mode::kFragment:
          return false;
        default:
          break;
      }
  }
  if (mode == Mode::kFragment) {
    switch (c) {
      case '!': case '(': case ')': case '*':
        return false;
    }
  }
  return true;
}

// Go's unescape: the unescaped string, or nothing on an escape error.
std::optional<std::string> Unescape(std::string_view s, Mode mode) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2])) return std::nullopt;
      if (mode == Mode::kHost && Unhex(s[i + 1]) < 8 && s.substr(i, 3) != "%25")
        return std::nullopt;
      unsigned char v = static_cast<unsigned char>(Unhex(s[i + 1]) << 4 | Unhex(s[i + 2]));
      if (mode == Mode::kZone && s.substr(i, 3) != "%25" && v != ' ' &&
          ShouldEscape(v, Mode::kHost))
        return std::nullopt;
      out += static_cast<char>(v);
      i += 3;
    } else if (c == '+') {
      out += mode == Mode::kQueryComponent ? ' ' : '+';
      ++i;
    } else {
      if ((mode == Mode::kHost || mode == Mode::kZone) && c < 0x80 && ShouldEscape(c, mode))
        return std::nullopt;
      out += static_cast<char>(c);
      ++i;
    }
  }
  return out;
}

bool ContainsCtl(std::string_view s) {
  // 8 bytes at a time first (a 2.6 KB data URL is the common case): "some
  // byte < 0x20" and "some byte == 0x7f" are exact for a word as a whole;
  // the bytewise loop then finds it, or checks the tail.
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  const char* p = s.data();
  const char* end = p + s.size();
  for (uint64_t w; end - p >= 8; p += 8) {
    std::memcpy(&w, p, 8);
    uint64_t del = w ^ (kOnes * 0x7f);
    if ((((w - kOnes * 0x20) & ~w) | ((del - kOnes) & ~del)) & kHigh) break;
  }
  for (; p != end; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Go's getScheme: false on "missing protocol scheme".
bool GetScheme(std::string_view raw, std::string& scheme, std::string_view& rest) {
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return false;
      scheme = std::string(raw.substr(0, i));
      rest = raw.substr(i + 1);
      return true;
    }
    break;
  }
  scheme.clear();
  rest = raw;
  return true;
}

bool ValidOptionalPort(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  for (char c : port.substr(1))
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<std::string> ParseHost(std::string_view host) {
  if (!host.empty() && host[0] == '[') {
    size_t i = host.rfind(']');
    if (i == std::string_view::npos) return std::nullopt;
    if (!ValidOptionalPort(host.substr(i + 1))) return std::nullopt;
    size_t zone = host.substr(0, i).find("%25");
    if (zone != std::string_view::npos) {
      auto h1 = Unescape(host.substr(0, zone), Mode::kHost);
      auto h2 = Unescape(host.substr(zone, i - zone), Mode::kZone);
      auto h3 = Unescape(host.substr(i), Mode::kHost);
      if (!h1 || !h2 || !h3) return std::nullopt;
      return *h1 + *h2 + *h3;
    }
  } else if (size_t i = host.rfind(':'); i != std::string_view::npos) {
    if (!ValidOptionalPort(host.substr(i))) return std::nullopt;
  }
  return Unescape(host, Mode::kHost);
}

bool ValidUserinfo(std::string_view s) {
  for (unsigned char c : s) {
    if (IsAlnum(c)) continue;
    switch (c) {
      case '-': case '.': case '_': case ':': case '~': case '!': case '$': case '&':
      case '\'': case '(': case ')': case '*': case '+': case ',': case ';': case '=':
      case '%': case '@':
        continue;
    }
    return false;
  }
  return true;
}

bool ParseAuthority(std::string_view authority, std::string& host) {
  size_t at = authority.rfind('@');
  auto h = ParseHost(at == std::string_view::npos ? authority : authority.substr(at + 1));
  if (!h) return false;
  host = *h;
  if (at == std::string_view::npos) return true;
  std::string_view userinfo = authority.substr(0, at);
  if (!ValidUserinfo(userinfo)) return false;
  size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) return Unescape(userinfo, Mode::kUserPassword).has_value();
  return Unescape(userinfo.substr(0, colon), Mode::kUserPassword) &&
         Unescape(userinfo.substr(colon + 1), Mode::kUserPassword);
}

}  // namespace

std::optional<GoUrl> ParseGoUrl(std::string_view raw) {
  std::string_view frag;
  bool has_frag = false;
  if (size_t hash = raw.find('#'); hash != std::string_view::npos) {
    frag = raw.substr(hash + 1);
    raw = raw.substr(0, hash);
    has_frag = true;
  }
  if (ContainsCtl(raw)) return std::nullopt;
  GoUrl url;
  if (raw == "*") {
    url.path = "*";
  } else {
    std::string_view rest;
    if (!GetScheme(raw, url.scheme, rest)) return std::nullopt;
    for (char& c : url.scheme)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    size_t q = rest.find('?');
    if (!rest.empty() && rest.back() == '?' && q == rest.size() - 1) {
      rest.remove_suffix(1);
    } else if (q != std::string_view::npos) {
      url.raw_query = std::string(rest.substr(q + 1));
      rest = rest.substr(0, q);
    }
    bool done = false;
    if (rest.empty() || rest[0] != '/') {
      if (!url.scheme.empty()) {
        url.opaque = std::string(rest);
        done = true;
      } else {
        std::string_view segment = rest.substr(0, rest.find('/'));
        if (segment.find(':') != std::string_view::npos) return std::nullopt;
      }
    }
    if (!done) {
      if (rest.substr(0, 2) == "//" && (!url.scheme.empty() || rest.substr(0, 3) != "///")) {
        std::string_view authority = rest.substr(2);
        rest = {};
        if (size_t slash = authority.find('/'); slash != std::string_view::npos) {
          rest = authority.substr(slash);
          authority = authority.substr(0, slash);
        }
        if (!ParseAuthority(authority, url.host)) return std::nullopt;
      }
      auto path = Unescape(rest, Mode::kPath);
      if (!path) return std::nullopt;
      url.path = *path;
    }
  }
  if (has_frag && !frag.empty() && !Unescape(frag, Mode::kFragment)) return std::nullopt;
  return url;
}

std::vector<std::string> GoQueryValues(std::string_view query, std::string_view key,
                                       bool* present) {
  std::vector<std::string> values;
  *present = false;
  while (!query.empty()) {
    std::string_view part = query;
    if (size_t amp = query.find('&'); amp != std::string_view::npos) {
      part = query.substr(0, amp);
      query = query.substr(amp + 1);
    } else {
      query = {};
    }
    if (part.find(';') != std::string_view::npos || part.empty()) continue;
    std::string_view k = part, v;
    if (size_t eq = part.find('='); eq != std::string_view::npos) {
      k = part.substr(0, eq);
      v = part.substr(eq + 1);
    }
    auto uk = Unescape(k, Mode::kQueryComponent);
    if (!uk) continue;
    auto uv = Unescape(v, Mode::kQueryComponent);
    if (!uv) continue;
    if (*uk != key) continue;
    *present = true;
    values.push_back(*uv);
  }
  return values;
}

}  // namespace flint::schema
