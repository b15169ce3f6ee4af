#include "schema/decode.h"

#include <limits>

#include "schema/fields.h"

namespace flint::schema {
namespace {

using nlohmann::json;

std::string JsonTypeName(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a floating-point number";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "a list";
    case json::value_t::object:
      return "an object";
    default:
      return "an unsupported value";
  }
}

class Decoder {
 public:
  Decoder(Version version, Report& report) : version_(version), report_(report) {}

  template <Record T>
  void Value(json& j, const Path& at, T& out) {
    if (j.is_null()) return;  // as Go: null leaves the zero value
    if (!j.is_object()) return TypeError(j, at, "an object");
    size_t matched = 0;
    VisitFields(
        [&](const FieldInfo& f, auto& member) {
          if (!Available(f)) return;
          auto it = j.find(f.name);
          if (it == j.end()) return;
          ++matched;
          bool saved = file_resource_;
          file_resource_ = f.compression_in_3_0;
          Value(*it, at / f.name, member);
          file_resource_ = saved;
        },
        out);
    if (matched == j.size()) return;
    for (auto& [key, value] : j.items()) {
      bool known = false;
      VisitFields([&](const FieldInfo& f, auto&) { known = known || (Available(f) && f.name == key); },
                  out);
      if (!known) report_.WarningAtKey(at / key, "unused key " + key);
    }
  }

  void Value(json& j, const Path& at, std::string& out) {
    if (j.is_null()) return;
    if (!j.is_string()) return TypeError(j, at, "a string");
    out = std::move(j.get_ref<std::string&>());
  }

  void Value(json& j, const Path& at, OptString& out) {
    if (j.is_null()) return out.reset();
    if (!j.is_string()) return TypeError(j, at, "a string");
    out = std::move(j.get_ref<std::string&>());
  }

  void Value(json& j, const Path& at, int64_t& out) {
    if (j.is_null()) return;
    if (j.is_number_integer() && !j.is_number_unsigned()) {
      out = j.get<int64_t>();
    } else if (j.is_number_unsigned()) {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return report_.Error(at, "integer " + std::to_string(u) + " is out of range");
      out = static_cast<int64_t>(u);
    } else {
      TypeError(j, at, "an integer");
    }
  }

  void Value(json& j, const Path& at, OptInt& out) {
    if (j.is_null()) return out.reset();
    int64_t v = 0;
    size_t errors = report_.entries().size();
    Value(j, at, v);
    if (report_.entries().size() == errors) out = v;
  }

  void Value(json& j, const Path& at, OptBool& out) {
    if (j.is_null()) return out.reset();
    if (!j.is_boolean()) return TypeError(j, at, "a boolean");
    out = j.get<bool>();
  }

  template <class T>
  void Value(json& j, const Path& at, std::vector<T>& out) {
    if (j.is_null()) return;
    if (!j.is_array()) return TypeError(j, at, "a list");
    out.resize(j.size());
    for (size_t i = 0; i < j.size(); ++i) Value(j[i], at / i, out[i]);
  }

 private:
  bool Available(const FieldInfo& f) const {
    Version since = f.since;
    if (f.name == "compression" && file_resource_) since = Version::k3_0;
    return since <= version_;
  }

  void TypeError(const json& j, const Path& at, const std::string& expected) {
    report_.Error(at, "invalid type: expected " + expected + ", found " + JsonTypeName(j));
  }

  Version version_;
  Report& report_;
  bool file_resource_ = false;
};

}  // namespace

void Decode(nlohmann::json& root, Version version, Config& out, Report& report) {
  Decoder(version, report).Value(root, Path(), out);
}

}  // namespace flint::schema
