// LUKS: names, labels, devices, key files, Clevis custom vs tang/tpm2/threshold,
// pins per version, tang URLs, thumbprints and advertisements, CEX.
#include <catch2/catch.hpp>

#include "schema/validate_test_helpers.h"

namespace flint::schema {
namespace {

using testing::ReportOf;

TEST_CASE("luks: name, label, device, key file, custom with other pins (3.2)") {
  CHECK(ReportOf("3.2.0",
                 R"("storage":{"luks":[{"name":"a/b","device":"rel","label":"012345678901234567890123456789012345678901234567",)"
                 R"("keyFile":{"source":"ftp://x"},"clevis":{"custom":{"pin":"foo","config":""},"tpm2":true}},{"name":"c"},)"
                 R"({"name":"d","device":"/dev/d","clevis":{"tang":[{"url":"ftp://t"},{"url":"http://t","thumbprint":"x"},{"url":"http://t","thumbprint":"y"}]}}]})") ==
        "error at $.storage.luks.0.name, line 1 col 60: device names cannot contain slashes\n"
        "error at $.storage.luks.0.label, line 1 col 89: luks device labels cannot be longer than "
        "47 characters\n"
        "error at $.storage.luks.0.device, line 1 col 75: path not absolute\n"
        "error at $.storage.luks.0.clevis, line 1 col 180: cannot use custom clevis config with "
        "tpm2, tang, or threshold\n"
        "error at $.storage.luks.0.keys, line 1 col 52: invalid key-file source\n"
        "error at $.storage.luks.0.clevis.custom.pin, line 1 col 197: unsupported clevis pin\n"
        "error at $.storage.luks.0.clevis.custom.config, line 1 col 212: missing required custom "
        "clevis config\n"
        "error at $.storage.luks.0.keyFile.source, line 1 col 160: invalid url scheme\n"
        "error at $.storage.luks.1.device, line 1 col 230: disk device is required\n"
        "error at $.storage.luks.2.clevis.tang.0.url, line 1 col 298: invalid url scheme\n"
        "error at $.storage.luks.2.clevis.tang.0.thumbprint, line 1 col 291: thumbprint is "
        "required\n"
        "error at $.storage.luks.2.clevis.tang.2, line 1 col 345: duplicate entry defined\n");
}

TEST_CASE("luks is a 3.2 feature") {
  CHECK(ReportOf("3.1.0", R"("storage":{"luks":[{"name":"a","device":"/dev/a"}]})") ==
        "warning at $.storage.luks, line 1 col 44: unused key luks\n");
}

TEST_CASE("custom clevis pins: pin and config required; any pin name from 3.6") {
  const std::string_view body =
      R"("storage":{"luks":[{"name":"a","device":"/dev/a","clevis":{"custom":{"needsNetwork":true}}},)"
      R"({"name":"b","device":"/dev/b","clevis":{"custom":{"pin":"tpm2","config":"{}"},"threshold":2}},)"
      R"({"name":"c","device":"/dev/c","clevis":{"custom":{"pin":"magic","config":"{}"}}},)"
      R"({"name":"d","device":"/dev/d","clevis":{"custom":{"pin":"sss","config":"{}"}}}]})";
  for (std::string_view v : {"3.3.0", "3.4.0", "3.5.0"}) {
    INFO(v);
    CHECK(ReportOf(v, body) ==
          "error at $.storage.luks.0.clevis.custom.pin, line 1 col 101: missing required custom "
          "clevis pin\n"
          "error at $.storage.luks.0.clevis.custom.config, line 1 col 101: missing required custom "
          "clevis config\n"
          "error at $.storage.luks.1.clevis, line 1 col 164: cannot use custom clevis config with "
          "tpm2, tang, or threshold\n"
          "error at $.storage.luks.2.clevis.custom.pin, line 1 col 275: unsupported clevis pin\n");
  }
  CHECK(ReportOf("3.6.0", body) ==
        "error at $.storage.luks.0.clevis.custom.pin, line 1 col 101: missing required custom "
        "clevis pin\n"
        "error at $.storage.luks.0.clevis.custom.config, line 1 col 101: missing required custom "
        "clevis config\n"
        "error at $.storage.luks.1.clevis, line 1 col 164: cannot use custom clevis config with "
        "tpm2, tang, or threshold\n");
  // 3.2: needsNetwork alone is no custom config at all.
  CHECK(ReportOf("3.2.0",
                 R"("storage":{"luks":[{"name":"a","device":"/dev/a","clevis":{"custom":{"needsNetwork":true}}}]})")
            .empty());
}

TEST_CASE("tang: http(s) URL, thumbprint, advertisement JSON (3.4)") {
  CHECK(ReportOf("3.4.0",
                 R"("storage":{"luks":[{"name":"a","device":"/dev/a","clevis":{"tang":[{"url":"https://t","thumbprint":"x","advertisement":"{not json"},)"
                 R"({"url":"https://u","thumbprint":"x","advertisement":"{\"payload\":\"x\"}"},{"url":"http://[::1]a","thumbprint":"x"}]},)"
                 R"("openOptions":["--x","--x"],"options":["-y","-y"]}]})") ==
        "error at $.storage.luks.0.clevis.tang.0.advertisement, line 1 col 152: advertisement is "
        "not valid JSON\n"
        "error at $.storage.luks.0.clevis.tang.2.url, line 1 col 247: unable to parse url\n"
        "error at $.storage.luks.0.openOptions.1, line 1 col 304: duplicate entry defined\n");
}

TEST_CASE("cex (3.5): not with clevis, not with a key file") {
  const std::string_view body =
      R"("storage":{"luks":[{"name":"a","device":"/dev/a","cex":{"enabled":true},"clevis":{"tpm2":true},"keyFile":{"source":"data:,k"}},)"
      R"({"name":"b","device":"/dev/b","cex":{"enabled":false},"clevis":{"tpm2":true}}]})";
  CHECK(ReportOf("3.5.0", body) ==
        "error at $.storage.luks.0.cex, line 1 col 88: cannot use cex with clevis\n"
        "error at $.storage.luks.0.cex, line 1 col 88: cannot use key file with cex\n");
  CHECK(ReportOf("3.7.0-experimental", R"("storage":{"luks":[{"name":"a","device":"/dev/a","cex":{"enabled":true},"clevis":{"tang":[{"url":"http://t","thumbprint":"t"}]}}]})") ==
        "error at $.storage.luks.0.cex, line 1 col 101: cannot use cex with clevis\n");
  CHECK(ReportOf("3.4.0", body) ==
        "warning at $.storage.luks.0.cex, line 1 col 82: unused key cex\n"
        "warning at $.storage.luks.1.cex, line 1 col 190: unused key cex\n");
}

}  // namespace
}  // namespace flint::schema
