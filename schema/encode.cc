#include "schema/encode.h"

#include <cstdio>
#include <type_traits>
#include <vector>

#include "schema/fields.h"

namespace flint::schema {
namespace {

class TextWriter;

// One member of a record, type-erased: the record writer (one function for
// every record type) filters, sorts and writes members through these, so
// each member type's code exists once. At -O3 a writer per record type
// visiting its fields inline made the binary 60 KB larger.
struct MemberRef {
  std::string_view name;
  const void* value;
  bool always;
  bool (*present)(const void* value, bool always);
  void (*write)(TextWriter& writer, const void* value);
};

// Whether the value is written: unset optionals, empty strings, lists and
// records, and zeros are left out unless the field is always emitted.
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
bool Present(const T& v, bool always);

template <class T>
bool PresentErased(const void* value, bool always) {
  return Present(*static_cast<const T*>(value), always);
}
template <class T>
void WriteErased(TextWriter& writer, const void* value);

template <Record T>
std::vector<MemberRef> Members(const T& v) {
  std::vector<MemberRef> members;
  VisitFields(
      [&](const FieldInfo& f, const auto& member) {
        using M = std::remove_cvref_t<decltype(member)>;
        members.push_back({f.name, &member, f.always_emit, &PresentErased<M>, &WriteErased<M>});
      },
      v);
  return members;
}

bool AnyPresent(const std::vector<MemberRef>& members) {
  for (const MemberRef& m : members) {
    if (m.present(m.value, m.always)) return true;
  }
  return false;
}

template <Record T>
bool Present(const T& v, bool always) {
  return always || AnyPresent(Members(v));
}

// Writes what nlohmann's compact dump() of the model's JSON document wrote,
// straight to a sink: objects with their keys sorted, strings escaped as its
// serializer does with ensure_ascii off (short escapes for \b \t \n \f \r, \"
// and \\, \u00xx for other control bytes, UTF-8 passed through and checked).
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
  [[gnu::noinline]] void Write(int64_t v) { Raw(std::to_string(v)); }
  [[gnu::noinline]] void Write(bool v) { Raw(v ? "true" : "false"); }
  template <class T>
  void Write(const std::optional<T>& v) {
    Write(*v);
  }
  // Not inlined: one copy of each list and record writer keeps the binary
  // small (inlined at -O3 they tripled its size).
  template <class T>
  [[gnu::noinline]] void Write(const std::vector<T>& v) {
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
  template <Record T>
  void Write(const T& v) {
    WriteRecord(Members(v));
  }

 private:
  static constexpr size_t kChunk = 64 * 1024;

  [[gnu::noinline]] void Raw(std::string_view s) {
    if (buf_.size() + s.size() > kChunk) Flush();
    if (s.size() >= kChunk) {
      sink_(s);
    } else {
      buf_.append(s);
    }
  }

  // The members that are present, in nlohmann's order (its objects are
  // std::maps: sorted keys; the last of equal names wins, as a map insert
  // would have it).
  [[gnu::noinline]] void WriteRecord(std::vector<MemberRef> members) {
    std::vector<MemberRef> sorted;
    for (const MemberRef& m : members) {
      if (!m.present(m.value, m.always)) continue;
      auto at = sorted.begin();
      while (at != sorted.end() && at->name < m.name) ++at;
      if (at != sorted.end() && at->name == m.name) {
        *at = m;
      } else {
        sorted.insert(at, m);
      }
    }
    Raw("{");
    for (size_t i = 0; i < sorted.size(); ++i) {
      Key(sorted[i].name, i == 0);
      sorted[i].write(*this, sorted[i].value);
    }
    Raw("}");
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

  // `"name":`, after a comma unless it is the first member. Field names are
  // plain ASCII: nothing to escape.
  [[gnu::noinline]] void Key(std::string_view name, bool first) {
    if (!first) Raw(",");
    Raw("\"");
    Raw(name);
    Raw("\":");
  }

  [[gnu::noinline]] void String(std::string_view s) {
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

template <class T>
void WriteErased(TextWriter& writer, const void* value) {
  writer.Write(*static_cast<const T*>(value));
}

}  // namespace

void EncodeTo(const Config& config, const std::function<void(std::string_view)>& sink) {
  TextWriter writer(sink);
  writer.Write(config);
  writer.Flush();
}

std::string EncodeString(const Config& config) {
  std::string text;
  EncodeTo(config, [&text](std::string_view piece) { text.append(piece); });
  return text;
}

}  // namespace flint::schema
