#include "schema/data_url.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <vector>

namespace flint::schema {
namespace {

enum class Item { kError, kEof, kMediaType, kSubType, kParamAttr, kLeftQuote, kParamVal,
                  kBase64, kComma, kData, kOther };

// A lexed item: a view into the URL (the URL outlives the lexing).
struct Token {
  Item type;
  std::string_view val;
};

struct Lexemes {
  std::vector<Token> items;
  std::optional<std::string> error;
};

constexpr int kEofRune = -1;

bool IsTSpecial(int r) {
  switch (r) {
    case '(': case ')': case '<': case '>': case '@': case ',': case ';': case ':':
    case '\\': case '"': case '/': case '[': case ']': case '?': case '=':
      return true;
  }
  return false;
}

// Go's unicode.IsSpace restricted to what can reach it here (ASCII and the
// Latin-1 spaces are the only ones <= MaxASCII that matter).
bool IsSpaceRune(int r) {
  return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0;
}

bool IsTokenRune(int r) {
  return r >= 0 && r <= 0x7f && !(r < 0x20 || r == 0x7f) && !IsSpaceRune(r) && !IsTSpecial(r);
}

constexpr bool IsUrlCharRune(int r) {
  if (r < 0 || r > 0x7f || r <= 0x1f || r == 0x7f) return false;
  switch (r) {
    case ' ': case '<': case '>': case '#': case '"': case '{': case '}': case '|':
    case '\\': case '^': case '[': case ']': case '`':
      return false;
  }
  return true;
}

constexpr bool IsBase64Rune(int r) {
  return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') ||
         r == '+' || r == '/' || r == '=';
}

using ByteTable = std::array<bool, 256>;

template <bool (*Allowed)(int)>
constexpr ByteTable MakeByteTable() {
  ByteTable t{};
  for (int b = 0; b < 256; ++b) t[static_cast<size_t>(b)] = b < 0x80 && Allowed(b);
  return t;
}

constexpr ByteTable kBase64Bytes = MakeByteTable<IsBase64Rune>();
constexpr ByteTable kUrlCharBytes = MakeByteTable<IsUrlCharRune>();

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

bool HasPrefix(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The lexer of the Go library, one state function per case, run to the end
// (the parser consumes its items in order, so running it first is the same).
class Lexer {
 public:
  // `any_case_prefix`: accept `DATA:` too (a URL whose scheme Go has
  // lower-cased before handing it over).
  Lexer(std::string_view in, bool any_case_prefix) : in_(in), any_case_prefix_(any_case_prefix) {}

  Lexemes Run() {
    bool prefixed = any_case_prefix_ ? IsDataUrl(in_) : HasPrefix(in_, "data:");
    if (!prefixed) {
      Error("missing data prefix");
    } else {
      pos_ = start_ = 5;
      AfterDataPrefix();
    }
    return {std::move(items_), std::move(error_)};
  }

 private:
  // Decodes one rune as Go's utf8.DecodeRuneInString (invalid bytes are
  // U+FFFD of width 1); only its ASCII-ness matters to the lexer.
  int Next() {
    if (pos_ >= in_.size()) {
      width_ = 0;
      return kEofRune;
    }
    unsigned char c = in_[pos_];
    if (c < 0x80) {
      width_ = 1;
    } else {
      width_ = DecodeWidth(pos_);
    }
    pos_ += width_;
    return c < 0x80 ? c : 0xFFFD;
  }

  size_t DecodeWidth(size_t at) const {
    unsigned char c = in_[at];
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (n == 1 || at + n > in_.size()) return 1;
    for (size_t i = 1; i < n; ++i)
      if ((static_cast<unsigned char>(in_[at + i]) & 0xC0) != 0x80) return 1;
    return n;
  }

  void Backup() { pos_ -= width_; }
  void Emit(Item t) {
    items_.push_back({t, in_.substr(start_, pos_ - start_)});
    start_ = pos_;
  }
  // The lexer stops at its first error; the parser sees it after the items
  // emitted before it.
  void Error(std::string message) {
    items_.push_back({Item::kError, {}});
    error_ = std::move(message);
  }

  void AfterDataPrefix() {
    int r = Next();
    if (r == ';') {
      Backup();
      return ParamSemicolon();
    }
    if (r == ',') {
      Backup();
      return DataComma();
    }
    if (r == kEofRune) return Error("missing comma before data");
    if (r == 'x' || r == 'X') {
      if (Next() == '-') return XTokenMediaType();
      return InDiscreteMediaType();
    }
    if (IsTokenRune(r)) return InDiscreteMediaType();
    Error("invalid character after data prefix");
  }

  void XTokenMediaType() {
    for (;;) {
      int r = Next();
      if (r == '/') {
        Backup();
        return MediaType();
      }
      if (r == kEofRune) return Error("missing media type slash");
      if (!IsTokenRune(r)) return Error("invalid character for media type");
    }
  }

  void InDiscreteMediaType() {
    for (;;) {
      int r = Next();
      if (r == '/') {
        Backup();
        std::string_view t = in_.substr(start_, pos_ - start_);
        bool discrete = HasPrefix(t, "text") || HasPrefix(t, "image") ||
                        HasPrefix(t, "audio") || HasPrefix(t, "video") ||
                        HasPrefix(t, "application");
        bool composite = HasPrefix(t, "message") || HasPrefix(t, "multipart");
        if (!discrete && !composite) return Error("invalid media type");
        return MediaType();
      }
      if (r == kEofRune) return Error("missing media type slash");
      if (!IsTokenRune(r)) return Error("invalid character for media type");
    }
  }

  void MediaType() {
    if (pos_ > start_) Emit(Item::kMediaType);
    Next();
    Emit(Item::kOther);  // the slash
    for (;;) {
      int r = Next();
      if (r == ';' || r == ',') {
        Backup();
        break;
      }
      if (r == kEofRune) return Error("incomplete media type");
      if (!IsTokenRune(r)) return Error("invalid character for media subtype");
    }
    if (pos_ > start_) Emit(Item::kSubType);
    int r = Next();
    if (r == ';') {
      Backup();
      return ParamSemicolon();
    }
    if (r == ',') {
      Backup();
      return DataComma();
    }
    if (r == kEofRune) return Error("missing comma before data");
    Error("expected semicolon or comma");
  }

  void ParamSemicolon() {
    Next();
    Emit(Item::kOther);
    int r = Next();
    if (r == kEofRune || r == '=' || r == ',') return Error("unterminated parameter sequence");
    if (!IsTokenRune(r)) return Error("invalid character for parameter attribute");
    Backup();
    for (;;) {
      r = Next();
      if (r == '=') {
        Backup();
        return ParamAttr();
      }
      if (r == ',') {
        Backup();
        return Base64Enc();
      }
      if (r == kEofRune) return Error("unterminated parameter sequence");
      if (!IsTokenRune(r)) return Error("invalid character for parameter attribute");
    }
  }

  void Base64Enc() {
    if (pos_ > start_) {
      std::string_view v = in_.substr(start_, pos_ - start_);
      if (v != "base64") return Error("expected base64, got " + std::string(v));
      base64_ = true;
      Emit(Item::kBase64);
    }
    DataComma();
  }

  void ParamAttr() {
    if (pos_ > start_) Emit(Item::kParamAttr);
    Next();
    Emit(Item::kOther);  // '='
    int r = Next();
    if (r == '"') {
      Emit(Item::kLeftQuote);
      return InQuotedParamVal();
    }
    if (r == kEofRune) return Error("missing comma before data");
    if (!IsTokenRune(r)) return Error("invalid character for parameter value");
    for (;;) {
      r = Next();
      if (r == ';' || r == ',') {
        Backup();
        if (pos_ > start_) Emit(Item::kParamVal);
        return AfterParamVal();
      }
      if (r == kEofRune) return Error("missing comma before data");
      if (!IsTokenRune(r)) return Error("invalid character for parameter value");
    }
  }

  void InQuotedParamVal() {
    for (;;) {
      int r = Next();
      if (r == kEofRune) return Error("unclosed quoted string");
      if (r == '\\') {
        int e = Next();
        if (e == kEofRune) return Error("unexpected eof");
        if (e > 0x7f) return Error("invalid escaped character");
        continue;
      }
      if (r == '"') {
        Backup();
        if (pos_ > start_) Emit(Item::kParamVal);
        Next();
        Emit(Item::kOther);  // right quote
        return AfterParamVal();
      }
      if (r > 0x7f) return Error("invalid character for parameter value");
    }
  }

  void AfterParamVal() {
    int r = Next();
    if (r == ';') {
      Backup();
      return ParamSemicolon();
    }
    if (r == ',') {
      Backup();
      return DataComma();
    }
    if (r == kEofRune) return Error("missing comma before data");
    Error("expected semicolon or comma");
  }

  // The data is most of a data URL's bytes, so it is scanned with a table
  // rather than rune by rune; both accept only ASCII, so a byte that is not
  // allowed (or starts a multi-byte rune) is the same error.
  void DataComma() {
    Next();
    Emit(Item::kComma);
    const auto& allowed = base64_ ? kBase64Bytes : kUrlCharBytes;
    // Locals, not pos_: a store to a member before every byte load (which
    // may alias it) would halve the speed of this, the longest scan.
    const char* data = in_.data();
    size_t i = pos_;
    for (const size_t n = in_.size(); i < n; ++i) {
      if (!allowed[static_cast<unsigned char>(data[i])]) {
        pos_ = i;
        return Error("invalid data character");
      }
    }
    pos_ = i;
    if (pos_ > start_) Emit(Item::kData);
    Emit(Item::kEof);
  }

  std::string_view in_;
  size_t start_ = 0;
  size_t pos_ = 0;
  size_t width_ = 0;
  bool any_case_prefix_ = false;
  bool base64_ = false;
  std::vector<Token> items_;
  std::optional<std::string> error_;
};

// RFC 2396 unescaping of the library (its message quotes '%' for any bad
// digit, as the library does).
std::optional<std::string> UnescapeError(std::string_view s) {
  auto is_hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return "rfc2396: non-ASCII char detected";
    if (s[i] != '%') continue;
    for (int k = 0; k < 2; ++k) {
      if (i + 1 >= s.size()) return "rfc2396: unexpected end of unescape sequence";
      ++i;
      if (!is_hex(s[i])) return "rfc2396: invalid char 0x25 in unescape sequence";
    }
  }
  return std::nullopt;
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// Whether Go's strconv.Unquote accepts "\"" + s + "\"".
bool GoUnquoteOk(std::string_view s) {
  auto hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n' || c == '"') return false;
    if (c != '\\') continue;
    if (++i >= s.size()) return false;
    char e = s[i];
    switch (e) {
      case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\':
      case '"':
        break;
      case 'x': case 'u': case 'U': {
        size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        uint32_t v = 0;
        for (size_t k = 1; k <= n; ++k) {
          if (i + k >= s.size() || !hex(s[i + k])) return false;
          char h = s[i + k];
          v = v * 16 + static_cast<uint32_t>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        if (e != 'x' && (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))) return false;
        i += n;
        break;
      }
      default:
        if (!IsOctal(e) || i + 2 >= s.size() || !IsOctal(s[i + 1]) || !IsOctal(s[i + 2]))
          return false;
        if ((e - '0') * 64 + (s[i + 1] - '0') * 8 + (s[i + 2] - '0') > 255) return false;
        i += 2;
    }
  }
  return true;
}

constexpr int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Go's base64.StdEncoding.DecodeString error offset, if any (the input only
// holds base64 alphabet and '=' here).
std::optional<size_t> Base64ErrorOffset(std::string_view src) {
  // Whole quantums before the first '=' hold only the alphabet: no error can
  // be there, so the decoder's walk starts at the quantum holding it.
  size_t si = std::min(src.find('='), src.size()) / 4 * 4;
  while (si < src.size()) {
    size_t j = 0;
    for (; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return std::nullopt;
        return si - j;
      }
      char in = src[si++];
      if (Base64Value(in) >= 0) continue;
      if (in != '=') return si - 1;
      if (j == 0 || j == 1) return si - 1;
      if (j == 2) {
        if (si == src.size()) return src.size();
        if (src[si] != '=') return si - 1;
        ++si;
      }
      if (si < src.size()) return si;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// What the Go library makes of a data URL: its error, or the data item and
// whether it is base64.
struct Lexed {
  std::optional<std::string> error;
  bool base64 = false;
  std::string_view data;  // into the URL
};

Lexed LexDataUrl(std::string_view url, bool any_case_prefix) {
  Lexemes lexemes = Lexer(url, any_case_prefix).Run();
  Lexed out;
  bool quoted = false;
  for (const Token& t : lexemes.items) {
    switch (t.type) {
      case Item::kError:
        out.error = std::move(lexemes.error);
        return out;
      case Item::kLeftQuote:
        quoted = true;
        break;
      case Item::kParamVal:
        if (quoted) {
          quoted = false;
          if (!GoUnquoteOk(t.val)) out.error = "invalid syntax";
        } else {
          out.error = UnescapeError(t.val);
        }
        if (out.error) return out;
        break;
      case Item::kBase64:
        out.base64 = true;
        break;
      case Item::kData:
        if (out.base64) {
          if (auto off = Base64ErrorOffset(t.val))
            out.error = "illegal base64 data at input byte " + std::to_string(*off);
        } else {
          out.error = UnescapeError(t.val);
        }
        out.data = t.val;
        return out;
      case Item::kEof:
        return out;
      default:
        break;
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// Decodes data that UnescapeError accepted.
std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Decodes base64 that Base64ErrorOffset accepted (padding only at the end).
std::string DecodeBase64(std::string_view s) {
  static constexpr auto kValues = [] {
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c) t[static_cast<size_t>(c)] = static_cast<uint8_t>(Base64Value(static_cast<char>(c)) & 0x3f);
    return t;
  }();
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  std::string out(s.size() / 4 * 3 + (s.size() % 4 == 0 ? 0 : s.size() % 4 - 1), '\0');
  char* o = out.data();
  size_t i = 0;
  for (; i + 4 <= s.size(); i += 4) {
    uint32_t v = uint32_t{kValues[static_cast<unsigned char>(s[i])]} << 18 |
                 uint32_t{kValues[static_cast<unsigned char>(s[i + 1])]} << 12 |
                 uint32_t{kValues[static_cast<unsigned char>(s[i + 2])]} << 6 |
                 uint32_t{kValues[static_cast<unsigned char>(s[i + 3])]};
    *o++ = static_cast<char>(v >> 16);
    *o++ = static_cast<char>(v >> 8);
    *o++ = static_cast<char>(v);
  }
  uint32_t acc = 0;
  int bits = 0;
  for (; i < s.size(); ++i) {
    acc = (acc << 6) | kValues[static_cast<unsigned char>(s[i])];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *o++ = static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> DataUrlError(std::string_view url) {
  return LexDataUrl(url, false).error;
}

bool IsDataUrl(std::string_view url) { return url.size() >= 5 && EqualsIgnoreCase(url.substr(0, 5), "data:"); }

DecodedDataUrl DecodeDataUrl(std::string_view url) {
  // Upstream decodes url.URL.String(), whose scheme Go has lower-cased.
  Lexed lexed = LexDataUrl(url, true);
  if (lexed.error) return {std::nullopt, std::move(*lexed.error)};
  return {lexed.base64 ? DecodeBase64(lexed.data) : Unescape(lexed.data), ""};
}

std::optional<std::string> DecodeStdBase64(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c == '\r' || c == '\n') continue;
    if (Base64Value(c) < 0 && c != '=') return std::nullopt;
    clean.push_back(c);
  }
  if (Base64ErrorOffset(clean)) return std::nullopt;
  return DecodeBase64(clean);
}

}  // namespace flint::schema
