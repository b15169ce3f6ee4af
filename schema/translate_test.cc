#include "schema/translate.h"

#include <catch2/catch.hpp>

#include "schema/decode.h"
#include "schema/encode.h"
#include "schema/parse.h"
#include "schema/samples_for_tests.h"

namespace flint::schema {
namespace {

constexpr const char* kNewest = "3.7.0-experimental";

// Decodes JSON as spec `version` (no validation, no translation); keys the
// version lacks are dropped with a warning.
Config Decoded(const char* json_text, Version version = kNewestVersion) {
  nlohmann::json j = nlohmann::json::parse(json_text);
  Config config;
  Report report;
  Decode(j, version, config, report);
  INFO(report.String());
  REQUIRE_FALSE(report.HasErrors());
  return config;
}

std::vector<std::string> Messages(const Report& report) {
  std::vector<std::string> out;
  for (const Entry& e : report.entries()) out.push_back(e.String());
  return out;
}

TEST_CASE("Translate: a config of every accepted version becomes the newest") {
  REQUIRE(samples::VersionSamples().size() == static_cast<size_t>(kVersionCount));
  for (const samples::VersionSample& sample : samples::VersionSamples()) {
    INFO("spec " << VersionString(sample.version));
    ParseResult parsed = Parse(sample.input);
    INFO(parsed.report.String());
    REQUIRE(parsed.config);
    CHECK(parsed.version == sample.version);
    Config want = Decoded(sample.translated);
    want.ignition.version = kNewest;
    CHECK(Encode(*parsed.config).dump(1) == Encode(want).dump(1));
    CHECK(*parsed.config == want);
  }
}

TEST_CASE("Translate sets ignition.version to the newest for every version") {
  for (int i = 0; i < kVersionCount; ++i) {
    Config config;
    config.ignition.version = std::string(VersionString(static_cast<Version>(i)));
    Report report;
    Translate(config, static_cast<Version>(i), report);
    CHECK(config.ignition.version == kNewest);
    CHECK(report.empty());
  }
}

TEST_CASE("Translate masks special mode bits before 3.6 and warns") {
  const char* storage = R"({"storage": {
      "files": [{"path": "/a", "mode": 2541}, {"path": "/b", "mode": 420}, {"path": "/c"},
                {"path": "/d", "mode": 2048}],
      "directories": [{"path": "/e", "mode": 1023}, {"path": "/f", "mode": 493}]}})";
  for (Version v : {Version::k3_0, Version::k3_1, Version::k3_2, Version::k3_3, Version::k3_4,
                    Version::k3_5}) {
    INFO("spec " << VersionString(v));
    Config config = Decoded(storage, v);
    Report report;
    Translate(config, v, report);
    CHECK(config.storage.files[0].mode == 0755);
    CHECK(config.storage.files[1].mode == 0644);
    CHECK_FALSE(config.storage.files[2].mode);
    CHECK(config.storage.files[3].mode == 0);
    CHECK(config.storage.directories[0].mode == 0777);
    CHECK(config.storage.directories[1].mode == 0755);
    CHECK(Messages(report) ==
          std::vector<std::string>{
              "warning at $.storage.files.0.mode: setuid/setgid/sticky bits are not applied in "
              "spec versions older than 3.6.0: mode 04755 is applied as 0755",
              "warning at $.storage.files.3.mode: setuid/setgid/sticky bits are not applied in "
              "spec versions older than 3.6.0: mode 04000 is applied as 0",
              "warning at $.storage.directories.0.mode: setuid/setgid/sticky bits are not "
              "applied in spec versions older than 3.6.0: mode 01777 is applied as 0777",
          });
  }
  for (Version v : {Version::k3_6, Version::k3_7_exp}) {
    Config config = Decoded(storage, v);
    Report report;
    Translate(config, v, report);
    CHECK(config.storage.files[0].mode == 04755);
    CHECK(config.storage.directories[0].mode == 01777);
    CHECK(report.empty());
  }
}

TEST_CASE("Translate's mode warning carries the line and column of the mode") {
  ParseResult parsed = Parse(R"({"ignition": {"version": "3.5.0"},
"storage": {"files": [{"path": "/usr/bin/x",
  "mode": 2541}]}})");
  REQUIRE(parsed.config);
  bool found = false;
  for (const Entry& e : parsed.report.entries())
    if (e.message.find("mode 04755 is applied as 0755") != std::string::npos) {
      found = true;
      CHECK(e.String() ==
            "warning at $.storage.files.0.mode, line 3 col 11: setuid/setgid/sticky bits are "
            "not applied in spec versions older than 3.6.0: mode 04755 is applied as 0755");
    }
  CHECK(found);
  CHECK(parsed.config->storage.files[0].mode == 0755);
}

TEST_CASE("Translate from 3.0 always sets a CA reference's source") {
  const char* cas = R"({"ignition": {"security": {"tls": {"certificateAuthorities": [
      {"verification": {"hash": "sha512-00"}}, {"source": "data:,x"}]}}}})";
  Config config = Decoded(cas, Version::k3_0);
  Report report;
  Translate(config, Version::k3_0, report);
  CHECK(config.ignition.security.tls.certificate_authorities[0].source == "");
  CHECK(config.ignition.security.tls.certificate_authorities[1].source == "data:,x");
  // Config references were pointers in 3.0 already; later CAs too.
  config = Decoded(R"({"ignition": {"config": {"merge": [{}]}}})", Version::k3_0);
  Translate(config, Version::k3_0, report);
  CHECK_FALSE(config.ignition.config.merge[0].source);
  config = Decoded(cas, Version::k3_1);
  Translate(config, Version::k3_1, report);
  CHECK_FALSE(config.ignition.security.tls.certificate_authorities[0].source);
}

TEST_CASE("Translate up to 3.2 sets raid level, link target and custom clevis strings") {
  const char* storage = R"({"storage": {
      "raid": [{"name": "md0", "devices": ["/dev/a"]}, {"name": "md1", "level": "raid0"}],
      "links": [{"path": "/l"}, {"path": "/m", "target": "/t"}],
      "luks": [{"name": "a", "clevis": {"custom": {"needsNetwork": true}}},
               {"name": "b", "clevis": {"custom": {"pin": "tang"}}},
               {"name": "c", "clevis": {"tpm2": true}}]}})";
  for (Version v : {Version::k3_0, Version::k3_1, Version::k3_2}) {
    INFO("spec " << VersionString(v));
    Config config = Decoded(storage, v);  // luks is unknown before 3.2: dropped
    Report report;
    Translate(config, v, report);
    CHECK(report.empty());
    CHECK(config.storage.raid[0].level == "");
    CHECK(config.storage.raid[1].level == "raid0");
    CHECK(config.storage.links[0].target == "");
    CHECK(config.storage.links[1].target == "/t");
  }
  Report report;
  Config config = Decoded(storage, Version::k3_2);
  Translate(config, Version::k3_2, report);
  REQUIRE(config.storage.luks.size() == 3);
  CHECK(config.storage.luks[0].clevis.custom ==
        ClevisCustom{.pin = "", .config = "", .needs_network = true});
  CHECK(config.storage.luks[1].clevis.custom ==
        ClevisCustom{.pin = "tang", .config = "", .needs_network = std::nullopt});
  CHECK(config.storage.luks[2].clevis.custom == ClevisCustom{});

  // From 3.3 on these are optional and stay unset.
  config = Decoded(storage, Version::k3_3);
  Translate(config, Version::k3_3, report);
  CHECK_FALSE(config.storage.raid[0].level);
  CHECK_FALSE(config.storage.links[0].target);
  CHECK_FALSE(config.storage.luks[0].clevis.custom.pin);
  CHECK_FALSE(config.storage.luks[1].clevis.custom.config);
}

TEST_CASE("Fields a version lacks are dropped with an unused key warning, not translated") {
  ParseResult parsed = Parse(R"({"ignition": {"version": "3.0.0",
      "config": {"replace": {"source": "https://example.com/c", "compression": "gzip"}}}})");
  REQUIRE(parsed.config);
  CHECK_FALSE(parsed.config->ignition.config.replace.compression);
  REQUIRE(parsed.report.entries().size() == 1);
  CHECK(parsed.report.entries()[0].message == "unused key compression");
}

}  // namespace
}  // namespace flint::schema
