#include "schema/encode.h"

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

}  // namespace

nlohmann::json Encode(const Config& config) {
  json out;
  Put(out, config, true);
  return out;
}

std::string EncodeString(const Config& config) { return Encode(config).dump(); }

}  // namespace flint::schema
