#include "schema/encode.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "schema/fields.h"
#include "schema/parse.h"
#include "schema/samples_for_tests.h"

namespace flint::schema {
namespace {

namespace fs = std::filesystem;

// The encoder the config cache was written with before EncodeTo: a JSON
// document built field by field, then nlohmann's dump(). Kept here as the
// reference that EncodeTo's text must match byte for byte.
namespace reference {

using nlohmann::json;

// Each returns false when the value is empty and should be omitted.
bool Put(json& out, const std::string& v, bool always) {
  if (v.empty() && !always) return false;
  out = v;
  return true;
}
bool Put(json& out, int64_t v, bool always) {
  if (v == 0 && !always) return false;
  out = v;
  return true;
}
template <class T>
bool Put(json& out, const std::optional<T>& v, bool) {
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

nlohmann::json Encode(const Config& config) {
  json out;
  Put(out, config, true);
  return out;
}

}  // namespace reference

// The config cache: written with EncodeString, read back with Parse.
void CheckRoundTrip(const Config& config, bool validate) {
  std::string cache = EncodeString(config);
  INFO(cache);
  // The streaming writer produces exactly nlohmann's compact dump.
  CHECK(cache == reference::Encode(config).dump());
  ParseResult again = validate ? Parse(cache) : ParseUnvalidated(cache);
  INFO(again.report.String());
  REQUIRE(again.config);
  CHECK(again.version == kNewestVersion);
  // Read back in the newest version, no key may be unknown; validation may
  // repeat its warnings, never add an error.
  for (const Entry& e : again.report.entries()) {
    CHECK(e.severity != Severity::kError);
    CHECK_FALSE(e.message.starts_with("unused key"));
  }
  if (!validate) CHECK(again.report.empty());
  CHECK(*again.config == config);
}

TEST_CASE("Encode round trip: a config of every version reads back unchanged") {
  for (const samples::VersionSample& sample : samples::VersionSamples()) {
    INFO("spec " << VersionString(sample.version));
    ParseResult parsed = Parse(sample.input);
    INFO(parsed.report.String());
    REQUIRE(parsed.config);
    CheckRoundTrip(*parsed.config, true);
  }
}

TEST_CASE("Encode round trip: every field of every version reads back unchanged") {
  for (int i = 0; i < kVersionCount; ++i) {
    Version v = static_cast<Version>(i);
    INFO("spec " << VersionString(v));
    ParseResult parsed = ParseUnvalidated(samples::EveryField(v).Config().dump());
    INFO(parsed.report.String());
    REQUIRE(parsed.config);
    CHECK(parsed.report.empty());
    CheckRoundTrip(*parsed.config, false);
  }
}

TEST_CASE("Encode writes every field of the newest version under its JSON name") {
  nlohmann::json every = samples::EveryField(kNewestVersion).Config();
  ParseResult parsed = ParseUnvalidated(every.dump());
  REQUIRE(parsed.config);
  CHECK(Encode(*parsed.config) == every);
}

TEST_CASE("Encode omits what is unset and keeps set zero values") {
  ParseResult parsed = ParseUnvalidated(R"({"ignition": {"version": "3.4.0",
      "config": {"merge": [{"source": "https://example.com/a.ign",
                            "httpHeaders": [{"name": "X-Drop", "value": null}]}]}},
      "storage": {"disks": [{"device": "/dev/vda", "wipeTable": false,
                             "partitions": [{"number": 0, "label": "root", "sizeMiB": 0}]}],
                  "files": [{"path": "/a", "mode": 0, "contents": {"source": ""}}]}})");
  INFO(parsed.report.String());
  REQUIRE(parsed.config);
  CHECK(Encode(*parsed.config) == nlohmann::json::parse(R"({
      "ignition": {"version": "3.7.0-experimental",
        "config": {"merge": [{"source": "https://example.com/a.ign",
                              "httpHeaders": [{"name": "X-Drop"}]}]}},
      "storage": {"disks": [{"device": "/dev/vda", "wipeTable": false,
                             "partitions": [{"label": "root", "sizeMiB": 0}]}],
                  "files": [{"path": "/a", "mode": 0, "contents": {"source": ""}}]}})"));
  CheckRoundTrip(*parsed.config, false);
}

TEST_CASE("Encode round trip: every valid fixture config reads back unchanged") {
  fs::path dir = fs::path(FLINT_SOURCE_DIR) / "tests" / "fixtures" / "configs";
  size_t checked = 0;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    ParseResult parsed = Parse(text.str());
    if (!parsed.config) continue;
    INFO(entry.path().string());
    CheckRoundTrip(*parsed.config, true);
    ++checked;
  }
  CHECK(checked > 0);
}

TEST_CASE("EncodeTo escapes strings exactly as nlohmann's dump did and streams long ones") {
  Config c;
  std::string every_byte;
  for (int b = 1; b < 0x80; ++b) every_byte += static_cast<char>(b);
  c.ignition.version = every_byte + std::string(1, '\0') + "é € \xF0\x9F\x98\x80 end";
  c.storage.files.resize(3);
  c.storage.files[0].path = "/\"quoted\"\\back";
  c.storage.files[1].contents.source = "data:," + std::string(300000, 'a') + "\n" + std::string(70000, '"');
  c.storage.files[2].mode = -5;
  std::vector<std::string> pieces;
  EncodeTo(c, [&pieces](std::string_view p) { pieces.emplace_back(p); });
  std::string joined;
  for (const std::string& p : pieces) joined += p;
  CHECK(joined == reference::Encode(c).dump());
  CHECK(pieces.size() > 2);
  CHECK(EncodeString(c) == reference::Encode(c).dump());
  CHECK(Encode(c) == reference::Encode(c));
}

TEST_CASE("EncodeTo refuses invalid UTF-8 as nlohmann's dump did") {
  for (std::string bad : {"\xFF", "a\xC0\x80", "\xED\xA0\x80", "\xE2\x82", "\xF4\x90\x80\x80", "x\x80"}) {
    INFO(bad);
    Config c;
    c.ignition.version = bad;
    CHECK_THROWS_AS(reference::Encode(c).dump(), nlohmann::json::type_error);
    CHECK_THROWS_AS(EncodeString(c), nlohmann::json::type_error);
  }
}

}  // namespace
}  // namespace flint::schema
