#include "schema/decode.h"

#include <catch2/catch.hpp>

#include "schema/parse.h"

namespace flint::schema {
namespace {

TEST_CASE("decode fills the model from every section") {
  ParseResult r = ParseUnvalidated(R"({
    "ignition": {"version": "3.4.0",
      "config": {"merge": [{"source": "https://example/a", "httpHeaders": [{"name": "A", "value": "b"}]}]},
      "timeouts": {"httpTotal": 30}, "proxy": {"noProxy": ["10.0.0.0/8"]}},
    "kernelArguments": {"shouldExist": ["quiet"]},
    "passwd": {"users": [{"name": "core", "uid": 1000, "sshAuthorizedKeys": ["ssh-ed25519 AAA"]}]},
    "storage": {
      "disks": [{"device": "/dev/vda", "wipeTable": true,
                 "partitions": [{"number": 1, "label": "root", "sizeMiB": 0, "resize": true}]}],
      "files": [{"path": "/etc/motd", "mode": 420, "user": {"name": "root"},
                 "append": [{"source": "data:,hi", "compression": ""}]}],
      "luks": [{"name": "data", "discard": true, "clevis": {"tang": [{"url": "http://t"}]}}]},
    "systemd": {"units": [{"name": "a.service", "enabled": false,
                           "dropins": [{"name": "x.conf", "contents": ""}]}]}
  })");
  INFO(r.report.String());
  REQUIRE(r.config);
  CHECK(r.report.empty());
  const Config& c = *r.config;
  CHECK(c.ignition.config.merge.at(0).source == "https://example/a");
  CHECK(c.ignition.config.merge[0].http_headers.at(0).value == "b");
  CHECK(c.ignition.timeouts.http_total == 30);
  CHECK_FALSE(c.ignition.timeouts.http_response_headers);
  CHECK(c.ignition.proxy.no_proxy == std::vector<std::string>{"10.0.0.0/8"});
  CHECK(c.kernel_arguments.should_exist == std::vector<std::string>{"quiet"});
  CHECK(c.passwd.users.at(0).uid == 1000);
  const Partition& p = c.storage.disks.at(0).partitions.at(0);
  CHECK(p.number == 1);
  CHECK(p.size_mib == 0);  // set to zero, not unset
  CHECK_FALSE(p.start_mib);
  CHECK(p.resize == true);
  CHECK(c.storage.files.at(0).mode == 420);
  CHECK(c.storage.files[0].user.name == "root");
  CHECK(c.storage.files[0].append.at(0).compression == "");
  CHECK(c.storage.luks.at(0).discard == true);
  CHECK(c.storage.luks[0].clevis.tang.at(0).url == "http://t");
  CHECK(c.systemd.units.at(0).enabled == false);
  CHECK(c.systemd.units[0].dropins.at(0).contents == "");
}

TEST_CASE("fields newer than the declared version are unused keys, at the key's position") {
  ParseResult r = ParseUnvalidated(
      "{\"ignition\": {\"version\": \"3.1.0\"},\n"
      " \"kernelArguments\": {\"shouldExist\": [\"a\"]},\n"
      " \"storage\": {\"luks\": [], \"disks\": [{\"device\": \"/dev/vda\",\n"
      "   \"partitions\": [{\"number\": 1, \"resize\": true}]}]}}");
  CHECK(r.report.String() ==
        "warning at $.storage.disks.0.partitions.0.resize, line 4 col 33: unused key resize\n"
        "warning at $.storage.luks, line 3 col 14: unused key luks\n"
        "warning at $.kernelArguments, line 2 col 2: unused key kernelArguments\n");
  REQUIRE(r.config);
  CHECK(r.config->kernel_arguments.should_exist.empty());
  CHECK_FALSE(r.config->storage.disks.at(0).partitions.at(0).resize);
}

TEST_CASE("compression existed in 3.0 for file contents only") {
  ParseResult r = ParseUnvalidated(R"({"ignition": {"version": "3.0.0",
      "config": {"replace": {"source": "data:,", "compression": "gzip"}}},
    "storage": {"files": [{"path": "/a", "contents": {"source": "data:,", "compression": "gzip"},
                           "append": [{"compression": "gzip"}]}]}})");
  CHECK(r.report.entries().size() == 1);
  CHECK_THAT(r.report.String(),
             Catch::StartsWith("warning at $.ignition.config.replace.compression, line 2"));
  REQUIRE(r.config);
  CHECK_FALSE(r.config->ignition.config.replace.compression);
  CHECK(r.config->storage.files.at(0).contents.compression == "gzip");
  CHECK(r.config->storage.files[0].append.at(0).compression == "gzip");
}

TEST_CASE("values of the wrong type are errors naming both types") {
  ParseResult r = Parse(R"({"ignition": {"version": "3.2.0"},
    "storage": {"files": [{"path": 5, "mode": 420.0, "overwrite": "yes"}],
                "disks": {"device": "/dev/vda"}},
    "passwd": {"users": [{"name": "a", "uid": 99999999999999999999}]}})");
  CHECK_FALSE(r.config);
  CHECK(r.report.String() ==
        "error at $.passwd.users.0.uid, line 4 col 47: number is out of range for a 64-bit integer\n"
        "error at $.storage.disks, line 3 col 26: invalid type: expected a list, found an object\n"
        "error at $.storage.files.0.path, line 2 col 36: invalid type: expected a string, found an integer\n"
        "error at $.storage.files.0.overwrite, line 2 col 67: invalid type: expected a boolean, found a string\n"
        "error at $.storage.files.0.mode, line 2 col 47: invalid type: expected an integer, found a floating-point number\n");
}

TEST_CASE("null leaves fields unset, as Go's decoder does") {
  ParseResult r = ParseUnvalidated(R"({"ignition": {"version": "3.3.0", "config": null},
    "storage": {"files": [{"path": "/a", "mode": null, "contents": {"source": null}}], "disks": null}})");
  REQUIRE(r.config);
  CHECK(r.report.empty());
  CHECK_FALSE(r.config->storage.files.at(0).mode);
  CHECK_FALSE(r.config->storage.files[0].contents.source);
}

TEST_CASE("a document that is not an object is refused") {
  CHECK(Parse("[]").report.String() ==
        "error at $.ignition.version, line 1 col 1: invalid config version (couldn't parse)\n");
  CHECK(Parse("\"3.0.0\"").report.HasErrors());
}

}  // namespace
}  // namespace flint::schema

namespace flint::schema {
namespace {

TEST_CASE("integers beyond int64 but within uint64 are out of range") {
  ParseResult r = Parse(R"({"ignition": {"version": "3.2.0"},
    "passwd": {"users": [{"name": "a", "uid": 18446744073709551615}]}})");
  CHECK(r.report.String() ==
        "error at $.passwd.users.0.uid, line 2 col 47: integer 18446744073709551615 is out of range\n");
}

}  // namespace
}  // namespace flint::schema
