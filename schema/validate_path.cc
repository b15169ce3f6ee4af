// Go's path package semantics, which upstream's path rules are written in.
#include "schema/validate_internal.h"

#include <vector>

namespace flint::schema::validate {

std::string CleanPath(std::string_view p) {
  if (p.empty()) return ".";
  bool rooted = p[0] == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view part = p.substr(i, j - i);
    i = j + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  return out.empty() ? "." : out;
}

bool IsAbsPath(std::string_view p) { return !p.empty() && p[0] == '/'; }

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return "";
  std::string joined(a);
  if (!a.empty() && !b.empty()) joined += '/';
  joined += b;
  return CleanPath(joined);
}

std::string_view PathExt(std::string_view p) {
  for (size_t i = p.size(); i-- > 0 && p[i] != '/';)
    if (p[i] == '.') return p.substr(i);
  return {};
}

Problem CheckPath(std::string_view p) {
  if (p.empty()) return "path not specified";
  if (!IsAbsPath(p)) return "path not absolute";
  if (CleanPath(p) != p) return "path is not fully simplified";
  return std::nullopt;
}

Problem CheckPathNilOk(const OptString& p) {
  if (NilOrEmpty(p)) return std::nullopt;
  return CheckPath(*p);
}

std::string GoQuote(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\a': out += "\\a"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\v': out += "\\v"; continue;
    }
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);  // UTF-8 text is printed as is
    }
  }
  return out + "\"";
}

bool NilOrEmpty(const OptString& s) { return !s || s->empty(); }
bool NotEmpty(const OptString& s) { return s && !s->empty(); }
bool IsTrue(const OptBool& b) { return b && *b; }
bool IsFalse(const OptBool& b) { return b && !*b; }

}  // namespace flint::schema::validate
