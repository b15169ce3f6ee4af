#include "schema/json_schema.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "schema/encode.h"
#include "schema/parse.h"
#include "schema/samples_for_tests.h"

namespace flint::schema {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// --- A validator for the subset of JSON Schema that JsonSchema emits -------

struct Violation {
  bool unknown_key;  // additionalProperties: false
  std::string path;  // `$.storage.files.0.foo`
  std::string what;
};

bool HasType(const json& value, const std::string& type) {
  if (type == "null") return value.is_null();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  FAIL("schema uses an unsupported type " << type);
  return false;
}

// Object members are visited in key order (nlohmann::json sorts them).
void Check(const json& value, const json& schema, const Path& at, std::vector<Violation>& out) {
  for (auto& [keyword, _] : schema.items()) {
    static const std::set<std::string> kSupported = {
        "$schema", "title", "type", "properties", "additionalProperties", "items",
        "required", "enum", "const"};
    if (!kSupported.contains(keyword)) FAIL("schema uses an unsupported keyword " << keyword);
  }
  if (schema.contains("type")) {
    json types = schema["type"].is_array() ? schema["type"] : json::array({schema["type"]});
    bool ok = std::any_of(types.begin(), types.end(),
                          [&](const json& t) { return HasType(value, t.get<std::string>()); });
    if (!ok) return out.push_back({false, at.String(), "type " + types.dump()});
  }
  if (schema.contains("const") && value != schema["const"])
    out.push_back({false, at.String(), "const " + schema["const"].dump()});
  if (schema.contains("enum")) {
    const json& values = schema["enum"];
    if (std::find(values.begin(), values.end(), value) == values.end())
      out.push_back({false, at.String(), "enum " + values.dump()});
  }
  if (value.is_object()) {
    for (const json& key : schema.value("required", json::array()))
      if (!value.contains(key.get<std::string>()))
        out.push_back({false, (at / key.get<std::string>()).String(), "required"});
    const json properties = schema.value("properties", json::object());
    for (auto& [key, member] : value.items()) {
      if (properties.contains(key))
        Check(member, properties[key], at / key, out);
      else if (schema.value("additionalProperties", true) == false)
        out.push_back({true, (at / key).String(), "unknown key"});
    }
  }
  if (value.is_array() && schema.contains("items"))
    for (size_t i = 0; i < value.size(); ++i) Check(value[i], schema["items"], at / i, out);
}

std::vector<Violation> Violations(const json& config, Version version) {
  std::vector<Violation> out;
  Check(config, json::parse(JsonSchema(version)), Path(), out);
  return out;
}

std::set<std::string> UnknownKeys(const std::vector<Violation>& violations) {
  std::set<std::string> out;
  for (const Violation& v : violations)
    if (v.unknown_key) out.insert(v.path);
  return out;
}

std::string Describe(const std::vector<Violation>& violations) {
  std::string out;
  for (const Violation& v : violations) out += v.path + ": " + v.what + "\n";
  return out;
}

// Paths of the "unused key" warnings of a report.
std::set<std::string> UnusedKeyWarnings(const Report& report) {
  std::set<std::string> out;
  for (const Entry& e : report.entries())
    if (e.severity == Severity::kWarning && e.message.starts_with("unused key "))
      out.insert(e.path.String());
  return out;
}

// --- The checked-in files ---------------------------------------------------

// schema/json-schema/v3_2.json, v3_7_experimental.json, ...
fs::path SchemaFile(Version v) {
  std::string name(VersionString(v));  // "3.2.0", "3.7.0-experimental"
  std::string file = "v" + name.substr(0, name.find('.', 2));
  file[2] = '_';
  if (name.find("-experimental") != std::string::npos) file += "_experimental";
  return fs::path(FLINT_SOURCE_DIR) / "schema" / "json-schema" / (file + ".json");
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST_CASE("JsonSchema file names follow the version") {
  CHECK(SchemaFile(Version::k3_0).filename() == "v3_0.json");
  CHECK(SchemaFile(Version::k3_6).filename() == "v3_6.json");
  CHECK(SchemaFile(Version::k3_7_exp).filename() == "v3_7_experimental.json");
}

// With FLINT_REGENERATE_SCHEMAS=1 this test first rewrites the files.
TEST_CASE("The checked-in JSON Schema files equal JsonSchema(version)") {
  const char* regenerate = std::getenv("FLINT_REGENERATE_SCHEMAS");
  for (int i = 0; i < kVersionCount; ++i) {
    Version v = static_cast<Version>(i);
    fs::path file = SchemaFile(v);
    if (regenerate && std::string(regenerate) == "1") {
      fs::create_directories(file.parent_path());
      std::ofstream(file, std::ios::binary | std::ios::trunc) << JsonSchema(v);
    }
    INFO(file.string() << " is stale: rerun this test with FLINT_REGENERATE_SCHEMAS=1");
    CHECK(ReadFile(file) == JsonSchema(v));
  }
}

// --- What the schemas say ---------------------------------------------------

TEST_CASE("JsonSchema is a draft-07 object schema fixing ignition.version") {
  json doc = json::parse(JsonSchema(Version::k3_2));
  CHECK(doc["$schema"] == "http://json-schema.org/draft-07/schema#");
  CHECK(doc["additionalProperties"] == false);
  CHECK(doc["properties"]["ignition"]["properties"]["version"]["const"] == "3.2.0");
  CHECK(Describe(Violations(json::parse(R"({"ignition": {"version": "3.3.0"}})"),
                            Version::k3_2)) == "$.ignition.version: const \"3.2.0\"\n");
  CHECK(Describe(Violations(json::parse(R"({"storage": {}})"), Version::k3_2)) ==
        "$.ignition: required\n");
  CHECK(Describe(Violations(json::parse(R"({"ignition": {"version": "3.2.0"},
      "storage": {"files": [{"path": 7, "mode": "0644", "overwrite": null}]}})"),
                            Version::k3_2)) ==
        "$.storage.files.0.mode: type [\"integer\",\"null\"]\n"
        "$.storage.files.0.path: type [\"string\",\"null\"]\n");
}

TEST_CASE("JsonSchema lists filesystem formats and compressions per version") {
  auto format = [](Version v) {
    return json::parse(JsonSchema(v))["properties"]["storage"]["properties"]["filesystems"]
                                     ["items"]["properties"]["format"]["enum"];
  };
  CHECK(format(Version::k3_2) == json::parse(R"(["", "ext4", "btrfs", "xfs", "swap", "vfat", null])"));
  CHECK(format(Version::k3_3).size() == 8);
  CHECK(format(Version::k3_3)[6] == "none");
  CHECK(format(Version::k3_7_exp)[7] == "virtiofs");
  json fs = json::parse(R"({"ignition": {"version": "3.2.0"},
                            "storage": {"filesystems": [{"device": "/dev/vdb", "format": "none"}],
                                        "files": [{"path": "/a", "contents": {"compression": "xz"}}]}})");
  CHECK(Describe(Violations(fs, Version::k3_2)) ==
        "$.storage.files.0.contents.compression: enum [\"\",\"gzip\",null]\n"
        "$.storage.filesystems.0.format: enum [\"\",\"ext4\",\"btrfs\",\"xfs\",\"swap\",\"vfat\",null]\n");
}

TEST_CASE("A config setting every field of a version conforms to that version's schema") {
  for (int i = 0; i < kVersionCount; ++i) {
    Version v = static_cast<Version>(i);
    INFO("spec " << VersionString(v));
    std::vector<Violation> problems;
    for (const Violation& p : Violations(samples::EveryField(v).Config(), v))
      if (p.what.rfind("enum", 0) != 0) problems.push_back(p);  // dummy values "x"
    CHECK(Describe(problems) == "");
  }
}

TEST_CASE("A schema flags exactly the keys the decoder warns about as unused") {
  // Every field of every version, declared as each older version in turn.
  for (int newer = 1; newer < kVersionCount; ++newer) {
    for (int older = 0; older < newer; ++older) {
      Version v = static_cast<Version>(older);
      INFO("fields of " << VersionString(static_cast<Version>(newer)) << " declared as "
                        << VersionString(v));
      json config = samples::EveryField(static_cast<Version>(newer)).Config();
      config["ignition"]["version"] = std::string(VersionString(v));
      ParseResult parsed = ParseUnvalidated(config.dump());
      REQUIRE(parsed.config);
      std::set<std::string> unused = UnusedKeyWarnings(parsed.report);
      CHECK(UnknownKeys(Violations(config, v)) == unused);
      // 3.6 and 3.7 added no fields, only values and rules.
      CHECK(unused.empty() == (newer > static_cast<int>(Version::k3_5) &&
                               older >= static_cast<int>(Version::k3_5)));
    }
  }
  json config = samples::EveryField(Version::k3_2).Config();
  config["ignition"]["version"] = "3.1.0";
  CHECK(UnknownKeys(Violations(config, Version::k3_1)) ==
        std::set<std::string>{"$.passwd.groups.0.shouldExist", "$.passwd.users.0.shouldExist",
                              "$.storage.disks.0.partitions.0.resize", "$.storage.luks"});
}

TEST_CASE("In 3.0 only file contents and appends have compression") {
  json config = json::parse(R"({"ignition": {"version": "3.0.0",
      "config": {"merge": [{"source": "s", "compression": "gzip"}]},
      "security": {"tls": {"certificateAuthorities": [{"source": "s", "compression": "gzip"}]}}},
      "storage": {"files": [{"path": "/a", "contents": {"compression": "gzip"},
                             "append": [{"compression": "gzip"}]}]}})");
  CHECK(UnknownKeys(Violations(config, Version::k3_0)) ==
        std::set<std::string>{"$.ignition.config.merge.0.compression",
                              "$.ignition.security.tls.certificateAuthorities.0.compression"});
  CHECK(UnknownKeys(Violations(config, Version::k3_1)).empty());
}

TEST_CASE("The rendered cache (Encode) conforms to the newest schema") {
  for (const samples::VersionSample& sample : samples::VersionSamples()) {
    ParseResult parsed = Parse(sample.input);
    REQUIRE(parsed.config);
    CHECK(Describe(Violations(Encode(*parsed.config), kNewestVersion)) == "");
  }
}

// Every fixture that is a valid config uses only keys and types its
// version's schema allows; a key it does not allow is exactly one flint
// warns about as unused.
TEST_CASE("Valid fixture configs conform to the schema of their version") {
  fs::path dir = fs::path(FLINT_SOURCE_DIR) / "tests" / "fixtures" / "configs";
  size_t checked = 0;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string text = ReadFile(entry.path());
    ParseResult parsed = Parse(text);
    if (!parsed.config || !parsed.version) continue;
    INFO(entry.path().string());
    std::vector<Violation> violations = Violations(json::parse(text), *parsed.version);
    std::vector<Violation> others;
    for (const Violation& v : violations)
      if (!v.unknown_key) others.push_back(v);
    CHECK(Describe(others) == "");
    CHECK(UnknownKeys(violations) == UnusedKeyWarnings(parsed.report));
    ++checked;
  }
  CHECK(checked > 0);
}

}  // namespace
}  // namespace flint::schema
