#include "schema/json_string.h"

#include <cstdint>
#include <cstring>

namespace flint::schema {
namespace {

std::string Hex(unsigned char c) {
  const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

// The length of the well-formed UTF-8 sequence at `p` (RFC 3629, table 3-7
// of Unicode: no overlong forms, no surrogates, nothing past U+10FFFF), or 0.
size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  unsigned char c = *p;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (static_cast<size_t>(end - p) < n) return 0;
  if (p[1] < lo || p[1] > hi) return 0;
  for (size_t i = 2; i < n; ++i)
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  return n;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of the four hex digits at `p`, or -1.
long Hex4(const char* p, const char* end) {
  if (end - p < 4) return -1;
  long v = 0;
  for (int i = 0; i < 4; ++i) {
    int d = HexValue(p[i]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

bool IsHighSurrogate(long u) { return u >= 0xD800 && u <= 0xDBFF; }
bool IsLowSurrogate(long u) { return u >= 0xDC00 && u <= 0xDFFF; }

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// True when none of the 8 bytes in `x` needs a closer look: no quote, no
// backslash, no control character, no byte of a multi-byte UTF-8 sequence.
// (Bytewise tests on a 64-bit word; "some byte < n" is exact as a whole.)
bool AllPlain(uint64_t x) {
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  uint64_t below_space = (x - kOnes * 0x20) & ~x & kHigh;
  uint64_t special = has_zero(x ^ (kOnes * '"')) | has_zero(x ^ (kOnes * '\\'));
  return ((x & kHigh) | below_space | special) == 0;
}

StringScan Fail(size_t offset, std::string error) {
  StringScan s;
  s.error_offset = offset;
  s.error = std::move(error);
  return s;
}

// Checks the escape at `p` (just after the backslash); returns its length
// after the backslash, or 0 with `error` set.
size_t CheckEscape(const char* p, const char* end, std::string& error) {
  if (p == end) {
    error = "unexpected end of input in a string";
    return 0;
  }
  switch (*p) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
      return 1;
    case 'u':
      break;
    default: {
      unsigned char c = static_cast<unsigned char>(*p);
      error = "invalid escape in a string: \\" +
              (c > 0x20 && c < 0x7F ? std::string(1, *p) : "followed by byte " + Hex(c));
      return 0;
    }
  }
  long u = Hex4(p + 1, end);
  if (u < 0) {
    error = "invalid \\u escape in a string: expected four hex digits";
    return 0;
  }
  if (IsLowSurrogate(u)) {
    error = "invalid \\u escape in a string: a low surrogate without a high one before it";
    return 0;
  }
  if (!IsHighSurrogate(u)) return 5;
  if (end - p < 7 || p[5] != '\\' || p[6] != 'u' || !IsLowSurrogate(Hex4(p + 7, end))) {
    error = "invalid \\u escape in a string: a high surrogate without a low one after it";
    return 0;
  }
  return 11;
}

}  // namespace

StringScan ScanJsonString(std::string_view rest) {
  const char* begin = rest.data();
  const char* end = begin + rest.size();
  const char* p = begin;
  bool escapes = false;
  while (p != end) {
    // Base64 and other plain text, 8 bytes at a time.
    uint64_t word;
    while (end - p >= 8 && (std::memcpy(&word, p, 8), AllPlain(word))) p += 8;
    if (p == end) break;
    unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"') {
      StringScan s;
      s.ok = true;
      s.length = static_cast<size_t>(p - begin);
      s.has_escapes = escapes;
      return s;
    }
    if (c == '\\') {
      std::string error;
      size_t n = CheckEscape(p + 1, end, error);
      if (n == 0) return Fail(static_cast<size_t>(p - begin), std::move(error));
      escapes = true;
      p += 1 + n;
    } else if (c < 0x20) {
      return Fail(static_cast<size_t>(p - begin),
                  "control character " + Hex(c) + " in a string must be escaped");
    } else if (c < 0x80) {
      ++p;
    } else {
      size_t n = Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p),
                                    reinterpret_cast<const unsigned char*>(end));
      if (n == 0)
        return Fail(static_cast<size_t>(p - begin),
                    "invalid UTF-8 byte " + Hex(c) + " in a string");
      p += n;
    }
  }
  return Fail(rest.size(), "unexpected end of input in a string (missing closing quote)");
}

std::string DecodeJsonString(std::string_view body, bool has_escapes) {
  if (!has_escapes) return std::string(body);
  std::string out;
  out.reserve(body.size());
  const char* p = body.data();
  const char* end = p + body.size();
  while (p != end) {
    const char* run = p;
    while (p != end && *p != '\\') ++p;
    out.append(run, p);
    if (p == end) break;
    char e = p[1];
    p += 2;
    switch (e) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        uint32_t cp = static_cast<uint32_t>(Hex4(p, end));
        p += 4;
        if (IsHighSurrogate(cp)) {
          uint32_t low = static_cast<uint32_t>(Hex4(p + 2, end));
          p += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        AppendUtf8(out, cp);
        break;
      }
      default:
        out += e;
        break;  // '"', '\\', '/'
    }
  }
  return out;
}

}  // namespace flint::schema
