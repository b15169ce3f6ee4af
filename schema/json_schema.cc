#include "schema/json_schema.h"

#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "schema/fields.h"

namespace flint::schema {
namespace {

using nlohmann::ordered_json;

ordered_json Nullable(const char* type) { return ordered_json::array({type, "null"}); }

// Allowed values of a string field, where the spec has a fixed set.
std::vector<std::string> EnumValues(std::string_view owner, std::string_view field, Version v) {
  if (owner == "filesystem" && field == "format") {
    std::vector<std::string> formats = {"", "ext4", "btrfs", "xfs", "swap", "vfat"};
    if (v >= Version::k3_3) formats.push_back("none");
    if (v >= Version::k3_7_exp) formats.push_back("virtiofs");
    return formats;
  }
  if (owner == "resource" && field == "compression") return {"", "gzip"};
  return {};
}

template <class T>
constexpr std::string_view OwnerName() {
  if constexpr (std::is_same_v<T, Filesystem>) return "filesystem";
  if constexpr (std::is_same_v<T, Resource>) return "resource";
  return "";
}

class SchemaBuilder {
 public:
  explicit SchemaBuilder(Version version) : version_(version) {}

  ordered_json Document() {
    ordered_json doc;
    doc["$schema"] = "http://json-schema.org/draft-07/schema#";
    doc["title"] = "Ignition config, spec " + std::string(VersionString(version_));
    ordered_json root = Of(Config{});
    root["type"] = "object";
    root["required"] = {"ignition"};
    ordered_json& ignition = root["properties"]["ignition"];
    ignition["type"] = "object";
    ignition["required"] = {"version"};
    ignition["properties"]["version"] = {{"type", "string"},
                                         {"const", std::string(VersionString(version_))}};
    doc.update(root);
    return doc;
  }

 private:
  template <Record T>
  ordered_json Of(const T& record) {
    ordered_json properties = ordered_json::object();
    VisitFields(
        [&](const FieldInfo& f, const auto& member) {
          if (!Available(f)) return;
          bool saved = file_resource_;
          file_resource_ = f.compression_in_3_0;
          ordered_json schema = Of(member);
          file_resource_ = saved;
          std::vector<std::string> values = EnumValues(OwnerName<T>(), f.name, version_);
          if (!values.empty()) {
            schema["enum"] = values;
            schema["enum"].push_back(nullptr);
          }
          properties[std::string(f.name)] = std::move(schema);
        },
        record);
    return {{"type", Nullable("object")},
            {"properties", std::move(properties)},
            {"additionalProperties", false}};
  }
  ordered_json Of(const std::string&) { return {{"type", Nullable("string")}}; }
  ordered_json Of(const OptString&) { return {{"type", Nullable("string")}}; }
  ordered_json Of(const int64_t&) { return {{"type", Nullable("integer")}}; }
  ordered_json Of(const OptInt&) { return {{"type", Nullable("integer")}}; }
  ordered_json Of(const OptBool&) { return {{"type", Nullable("boolean")}}; }
  template <class T>
  ordered_json Of(const std::vector<T>&) {
    return {{"type", Nullable("array")}, {"items", Of(T{})}};
  }

  // As the decoder: in 3.0 only file contents had a compression field.
  bool Available(const FieldInfo& f) const {
    Version since = f.since;
    if (f.name == "compression" && file_resource_) since = Version::k3_0;
    return since <= version_;
  }

  Version version_;
  bool file_resource_ = false;
};

}  // namespace

std::string JsonSchema(Version version) { return SchemaBuilder(version).Document().dump(2) + "\n"; }

}  // namespace flint::schema
