#include "schema/encode.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "schema/fields.h"

namespace flint::schema {
namespace {

using nlohmann::json;

// Each returns false when the value is empty and should be omitted.
bool Put(json& out, const std::string& v, bool always) {
  if (v.empty() && !always) return false;
  out = v;
  return true;
}
bool Put(json& out, const OptString& v, bool) {
  if (!v) return false;
  out = *v;
  return true;
}
bool Put(json& out, int64_t v, bool always) {
  if (v == 0 && !always) return false;
  out = v;
  return true;
}
bool Put(json& out, const OptInt& v, bool) {
  if (!v) return false;
  out = *v;
  return true;
}
bool Put(json& out, const OptBool& v, bool) {
  if (!v) return false;
  out = *v;
  return true;
}

template <Record T>
bool Put(json& out, const T& v, bool always);

template <class T>
bool Put(json& out, const std::vector<T>& v, bool always) {
  if (v.empty() && !always) return false;
  out = json::array();
  for (const T& item : v) {
    json j;
    if (!Put(j, item, true)) j = json::object();
    out.push_back(std::move(j));
  }
  return true;
}

template <Record T>
bool Put(json& out, const T& v, bool always) {
  out = json::object();
  VisitFields(
      [&](const FieldInfo& f, const auto& member) {
        json j;
        if (Put(j, member, f.always_emit)) out[std::string(f.name)] = std::move(j);
      },
      v);
  return always || !out.empty();
}

// Whether Put would emit the value (the same rules, without building it).
bool Present(const std::string& v, bool always) { return always || !v.empty(); }
template <class T>
bool Present(const std::optional<T>& v, bool) {
  return v.has_value();
}
bool Present(int64_t v, bool always) { return always || v != 0; }
template <class T>
bool Present(const std::vector<T>& v, bool always) {
  return always || !v.empty();
}
template <Record T>
bool Present(const T& v, bool always) {
  if (always) return true;
  bool any = false;
  VisitFields([&](const FieldInfo& f, const auto& member) { any = any || Present(member, f.always_emit); }, v);
  return any;
}

// Writes what Encode(config).dump() would, straight to a sink: objects with
// their keys sorted (nlohmann's std::map order), strings escaped as its
// serializer does with ensure_ascii off (short escapes for \b \t \n \f \r, \"
// and \\, \u00xx for other control bytes, UTF-8 passed through and checked).
template <Record T>
std::vector<std::string_view> SortedNames() {
  std::vector<std::string_view> names;
  T record{};
  VisitFields([&](const FieldInfo& f, const auto&) { names.push_back(f.name); }, record);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

class TextWriter {
 public:
  explicit TextWriter(const std::function<void(std::string_view)>& sink) : sink_(sink) {
    buf_.reserve(kChunk);
  }

  void Flush() {
    if (!buf_.empty()) sink_(buf_);
    buf_.clear();
  }

  void Write(const std::string& v) { String(v); }
  void Write(int64_t v) { Raw(std::to_string(v)); }
  void Write(bool v) { Raw(v ? "true" : "false"); }
  template <class T>
  void Write(const std::optional<T>& v) {
    Write(*v);
  }
  template <class T>
  void Write(const std::vector<T>& v) {
    Raw("[");
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) Raw(",");
      if (Present(v[i], true)) {
        Write(v[i]);
      } else {
        Raw("{}");
      }
    }
    Raw("]");
  }
  // Members in nlohmann's order (its objects are std::maps: sorted keys).
  // Finding each member by name again costs a few comparisons per field and
  // keeps the code small: one visitor per record type.
  template <Record T>
  void Write(const T& v) {
    static const std::vector<std::string_view> names = SortedNames<T>();
    Raw("{");
    bool first = true;
    for (std::string_view name : names) {
      VisitFields(
          [&](const FieldInfo& f, const auto& member) {
            if (f.name != name || !Present(member, f.always_emit)) return;
            if (!first) Raw(",");
            first = false;
            String(f.name);
            Raw(":");
            Write(member);
          },
          v);
    }
    Raw("}");
  }

 private:
  static constexpr size_t kChunk = 64 * 1024;

  void Raw(std::string_view s) {
    if (buf_.size() + s.size() > kChunk) Flush();
    if (s.size() >= kChunk) {
      sink_(s);
    } else {
      buf_.append(s);
    }
  }

  // Length of the valid UTF-8 sequence at s[i] (a lead byte >= 0x80), or 0.
  static size_t Utf8Length(std::string_view s, size_t i) {
    auto at = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    auto cont = [&](size_t k) { return (at(k) & 0xC0) == 0x80; };
    unsigned c = at(0);
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
      unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      return at(1) >= lo && at(1) <= hi && cont(2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      return at(1) >= lo && at(1) <= hi && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
  }

  void String(std::string_view s) {
    Raw("\"");
    size_t run = 0;  // start of the bytes not yet written
    size_t i = 0;
    while (i < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        ++i;
        continue;
      }
      if (c >= 0x80) {
        size_t n = Utf8Length(s, i);
        if (n == 0) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned>(c));
          throw nlohmann::json::type_error::create(
              316, "invalid UTF-8 byte at index " + std::to_string(i) + ": 0x" + hex, nullptr);
        }
        i += n;
        continue;
      }
      Raw(s.substr(run, i - run));
      switch (c) {
        case '"': Raw("\\\""); break;
        case '\\': Raw("\\\\"); break;
        case '\b': Raw("\\b"); break;
        case '\t': Raw("\\t"); break;
        case '\n': Raw("\\n"); break;
        case '\f': Raw("\\f"); break;
        case '\r': Raw("\\r"); break;
        default: {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
          Raw(esc);
        }
      }
      run = ++i;
    }
    Raw(s.substr(run));
    Raw("\"");
  }

  const std::function<void(std::string_view)>& sink_;
  std::string buf_;
};

}  // namespace

void EncodeTo(const Config& config, const std::function<void(std::string_view)>& sink) {
  TextWriter writer(sink);
  writer.Write(config);
  writer.Flush();
}

nlohmann::json Encode(const Config& config) {
  json out;
  Put(out, config, true);
  return out;
}

std::string EncodeString(const Config& config) {
  std::string text;
  EncodeTo(config, [&text](std::string_view piece) { text.append(piece); });
  return text;
}

}  // namespace flint::schema
