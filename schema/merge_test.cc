#include "schema/merge.h"

#include <catch2/catch.hpp>

#include "schema/decode.h"
#include "schema/encode.h"

namespace flint::schema {
namespace {

// A model from JSON in the newest version's shape (no version required).
Config Model(const char* json_text) {
  nlohmann::json j = nlohmann::json::parse(json_text);
  Config config;
  Report report;
  Decode(j, kNewestVersion, config, report);
  INFO(report.String());
  REQUIRE(report.empty());
  return config;
}

// Compares as JSON first, so a failure shows both sides readably.
void CheckMerge(const char* parent, const char* child, const char* want) {
  Config got = Merge(Model(parent), Model(child));
  CHECK(Encode(got).dump(1) == Encode(Model(want)).dump(1));
  CHECK(got == Model(want));
}

TEST_CASE("Merge of empty configs is empty") {
  CHECK(Merge(Config{}, Config{}) == Config{});
}

TEST_CASE("Merge: plain scalars always take the child's value, even empty") {
  CheckMerge(R"({"ignition": {"version": "1234"}})",
             R"({"ignition": {"version": "haha this isn't validated"}})",
             R"({"ignition": {"version": "haha this isn't validated"}})");
  // Go's non-pointer fields have no "unset": the child's empty value wins.
  CheckMerge(R"({"ignition": {"version": "3.7.0-experimental"}})", R"({})",
             R"({"ignition": {"version": ""}})");
}

TEST_CASE("Merge: optional scalars take the child's value only when set") {
  CheckMerge(R"({"ignition": {"timeouts": {"httpTotal": 10, "httpResponseHeaders": 5},
                              "proxy": {"httpProxy": "http://p", "httpsProxy": "http://s"}}})",
             R"({"ignition": {"timeouts": {"httpTotal": 0},
                              "proxy": {"httpsProxy": null}}})",
             R"({"ignition": {"timeouts": {"httpTotal": 0, "httpResponseHeaders": 5},
                              "proxy": {"httpProxy": "http://p", "httpsProxy": "http://s"}}})");
  // A child's false overrides a parent's true; null/absent keeps the parent's.
  CheckMerge(R"({"systemd": {"units": [{"name": "a.service", "enabled": true, "mask": true}]}})",
             R"({"systemd": {"units": [{"name": "a.service", "enabled": false, "mask": null}]}})",
             R"({"systemd": {"units": [{"name": "a.service", "enabled": false, "mask": true}]}})");
}

TEST_CASE("Merge: nested objects merge field by field") {
  // Upstream's struct-pointer case (clevis in 3.2), now plain nested objects.
  CheckMerge(R"({"storage": {"luks": [{"name": "bar", "device": "/dev/foo",
                  "clevis": {"custom": {"config": "cfg", "pin": "pin"}, "threshold": 1}}]}})",
             R"({"storage": {"luks": [
                  {"name": "bar", "clevis": {"threshold": 2}},
                  {"name": "bleh", "device": "/dev/baz", "clevis": {"tpm2": true}}]}})",
             R"({"storage": {"luks": [
                  {"name": "bar", "device": "/dev/foo",
                   "clevis": {"custom": {"config": "cfg", "pin": "pin"}, "threshold": 2}},
                  {"name": "bleh", "device": "/dev/baz", "clevis": {"tpm2": true}}]}})");
  CheckMerge(R"({"storage": {"files": [{"path": "/a", "contents": {"source": "data:,a"},
                                        "user": {"id": 1}}]}})",
             R"({"storage": {"files": [{"path": "/a", "contents": {"compression": "gzip"},
                                        "user": {"name": "core"}}]}})",
             R"({"storage": {"files": [{"path": "/a",
                  "contents": {"source": "data:,a", "compression": "gzip"},
                  "user": {"id": 1, "name": "core"}}]}})");
}

TEST_CASE("Merge: keyed lists keep parent order, then new child items in child order") {
  CheckMerge(R"({"storage": {"disks": [
                  {"device": "foo", "wipeTable": true,
                   "partitions": [{"number": 1, "label": "label", "startMiB": 4}]},
                  {"device": "bar", "wipeTable": true},
                  {"device": "qux"}]}})",
             R"({"storage": {"disks": [
                  {"device": "zed"},
                  {"device": "foo", "wipeTable": false,
                   "partitions": [{"number": 2, "label": "label2"},
                                  {"number": 1, "label": "labelchanged"}]},
                  {"device": "bar"},
                  {"device": "baz", "wipeTable": true}]}})",
             R"({"storage": {"disks": [
                  {"device": "foo", "wipeTable": false,
                   "partitions": [{"number": 1, "label": "labelchanged", "startMiB": 4},
                                  {"number": 2, "label": "label2"}]},
                  {"device": "bar", "wipeTable": true},
                  {"device": "qux"},
                  {"device": "zed"},
                  {"device": "baz", "wipeTable": true}]}})");
}

TEST_CASE("Merge: partitions are keyed by number, or by label when the number is 0") {
  CheckMerge(R"({"storage": {"disks": [{"device": "/dev/vda", "partitions": [
                  {"number": 1, "label": "boot"},
                  {"label": "root", "sizeMiB": 100},
                  {"label": "var"}]}]}})",
             R"({"storage": {"disks": [{"device": "/dev/vda", "partitions": [
                  {"label": "boot", "sizeMiB": 1},
                  {"number": 0, "label": "root", "resize": true},
                  {"number": 3, "label": "var"}]}]}})",
             // "boot" by label is not partition number 1; "var" by number 3
             // is not the label-keyed "var".
             R"({"storage": {"disks": [{"device": "/dev/vda", "partitions": [
                  {"number": 1, "label": "boot"},
                  {"label": "root", "sizeMiB": 100, "resize": true},
                  {"label": "var"},
                  {"label": "boot", "sizeMiB": 1},
                  {"number": 3, "label": "var"}]}]}})");
  // Neither number nor label: the empty key, so such partitions merge.
  CheckMerge(R"({"storage": {"disks": [{"device": "d", "partitions": [{"sizeMiB": 5}]}]}})",
             R"({"storage": {"disks": [{"device": "d", "partitions": [{"startMiB": 7}]}]}})",
             R"({"storage": {"disks": [{"device": "d",
                  "partitions": [{"sizeMiB": 5, "startMiB": 7}]}]}})");
}

TEST_CASE("Merge: a child node of another kind replaces the parent's entry") {
  CheckMerge(R"({"storage": {
                  "files": [{"path": "/foo", "append": [{"source": "source1"}]},
                            {"path": "/bar", "contents": {"compression": "gzip"}},
                            {"path": "/keep", "mode": 420}],
                  "directories": [{"path": "/dir", "mode": 493}, {"path": "/x"}],
                  "links": [{"path": "/lnk", "target": "/t"}]}})",
             R"({"storage": {
                  "files": [{"path": "/foo", "append": [{"source": "source1"},
                                                        {"source": "source2"}]},
                            {"path": "/lnk", "contents": {"source": "data:,"}}],
                  "directories": [{"path": "/bar"}],
                  "links": [{"path": "/baz"}, {"path": "/dir", "target": "/elsewhere"}]}})",
             R"({"storage": {
                  "files": [{"path": "/foo", "append": [{"source": "source1"},
                                                        {"source": "source1"},
                                                        {"source": "source2"}]},
                            {"path": "/keep", "mode": 420},
                            {"path": "/lnk", "contents": {"source": "data:,"}}],
                  "directories": [{"path": "/x"}, {"path": "/bar"}],
                  "links": [{"path": "/baz"}, {"path": "/dir", "target": "/elsewhere"}]}})");
}

TEST_CASE("Merge: one key in two child lists (invalid) resolves as upstream") {
  // Upstream indexes directories, files, links in that order; the last wins.
  CheckMerge(R"({"storage": {"files": [{"path": "/x", "mode": 420}]}})",
             R"({"storage": {"files": [{"path": "/x", "overwrite": true}],
                             "directories": [{"path": "/x"}]}})",
             R"({"storage": {"files": [{"path": "/x", "mode": 420, "overwrite": true}],
                             "directories": [{"path": "/x"}]}})");
  CheckMerge(R"({"storage": {"directories": [{"path": "/x", "mode": 448}]}})",
             R"({"storage": {"directories": [{"path": "/x"}],
                             "links": [{"path": "/x", "target": "/t"}]}})",
             // the parent's directory goes; the child's is not new to the list
             R"({"storage": {"links": [{"path": "/x", "target": "/t"}]}})");
}

TEST_CASE("Merge: a child shouldNotExist removes the parent's shouldExist and back") {
  CheckMerge(R"({"kernelArguments": {"shouldExist": ["foo", "bar baz", "test"],
                                     "shouldNotExist": ["brown fox", "quiet"]}})",
             R"({"kernelArguments": {"shouldNotExist": ["test"], "shouldExist": ["quiet", "foo"]}})",
             R"({"kernelArguments": {"shouldExist": ["foo", "bar baz", "quiet"],
                                     "shouldNotExist": ["brown fox", "test"]}})");
}

TEST_CASE("Merge: an HTTP header without value deletes the parent's header") {
  const char* parent = R"({"ignition": {"config": {"merge": [{"source": "http://example.com/c.ign",
      "httpHeaders": [{"name": "old-header", "value": "old-value"},
                      {"name": "same-header", "value": "old-value"},
                      {"name": "to-remove-header", "value": "some-value"}]}]}}})";
  const char* child = R"({"ignition": {"config": {"merge": [{"source": "http://example.com/c.ign",
      "httpHeaders": [{"name": "to-remove-header"},
                      {"name": "new-header", "value": "new-value"},
                      {"name": "same-header", "value": "new-value"},
                      {"name": "never-set", "value": null}]}]}}})";
  // A valueless child header the parent lacks is kept, as upstream.
  CheckMerge(parent, child,
             R"({"ignition": {"config": {"merge": [{"source": "http://example.com/c.ign",
      "httpHeaders": [{"name": "old-header", "value": "old-value"},
                      {"name": "same-header", "value": "new-value"},
                      {"name": "new-header", "value": "new-value"},
                      {"name": "never-set"}]}]}}})");
}

TEST_CASE("Merge: HTTP headers merge the same way in every resource") {
  const char* parent = R"({
    "ignition": {"config": {"replace": {"source": "http://r", "httpHeaders": [
                   {"name": "a", "value": "1"}, {"name": "b", "value": "2"}]}},
                 "security": {"tls": {"certificateAuthorities": [{"source": "http://ca",
                   "httpHeaders": [{"name": "a", "value": "1"}]}]}}},
    "storage": {"files": [{"path": "/f", "contents": {"source": "http://f",
                   "httpHeaders": [{"name": "a", "value": "1"}]}}],
                "luks": [{"name": "l", "keyFile": {"source": "http://k",
                   "httpHeaders": [{"name": "a", "value": "1"}]}}]}})";
  const char* child = R"({
    "ignition": {"config": {"replace": {"httpHeaders": [{"name": "a"}, {"name": "c", "value": "3"}]}},
                 "security": {"tls": {"certificateAuthorities": [{"source": "http://ca",
                   "httpHeaders": [{"name": "a"}]}]}}},
    "storage": {"files": [{"path": "/f", "contents": {"httpHeaders": [{"name": "a", "value": "9"}]}}],
                "luks": [{"name": "l", "keyFile": {"httpHeaders": [{"name": "a"}]}}]}})";
  CheckMerge(parent, child, R"({
    "ignition": {"config": {"replace": {"source": "http://r", "httpHeaders": [
                   {"name": "b", "value": "2"}, {"name": "c", "value": "3"}]}},
                 "security": {"tls": {"certificateAuthorities": [{"source": "http://ca"}]}}},
    "storage": {"files": [{"path": "/f", "contents": {"source": "http://f",
                   "httpHeaders": [{"name": "a", "value": "9"}]}}],
                "luks": [{"name": "l", "keyFile": {"source": "http://k"}}]}})");
}

TEST_CASE("Merge: lists that allow duplicates are concatenated") {
  CheckMerge(R"({"storage": {
                  "filesystems": [{"device": "/dev/sda", "options": ["a", "b"]},
                                  {"device": "/dev/sdb", "options": ["a", "b"],
                                   "mountOptions": ["x"]}],
                  "raid": [{"name": "md0", "options": ["--a"], "devices": ["/dev/a", "/dev/b"]}],
                  "luks": [{"name": "l", "options": ["--x"], "openOptions": ["--o"]}]}})",
             R"({"storage": {
                  "filesystems": [{"device": "/dev/sda", "mountOptions": ["c", "d"]},
                                  {"device": "/dev/sdb", "options": ["b", "c"],
                                   "mountOptions": ["x"]}],
                  "raid": [{"name": "md0", "options": ["--a"], "devices": ["/dev/b", "/dev/c"]}],
                  "luks": [{"name": "l", "options": ["--x"], "openOptions": ["--o", "--p"]}]}})",
             // raid devices and luks openOptions are keyed: deduplicated.
             R"({"storage": {
                  "filesystems": [{"device": "/dev/sda", "options": ["a", "b"],
                                   "mountOptions": ["c", "d"]},
                                  {"device": "/dev/sdb", "options": ["a", "b", "b", "c"],
                                   "mountOptions": ["x", "x"]}],
                  "raid": [{"name": "md0", "options": ["--a", "--a"],
                            "devices": ["/dev/a", "/dev/b", "/dev/c"]}],
                  "luks": [{"name": "l", "options": ["--x", "--x"],
                            "openOptions": ["--o", "--p"]}]}})");
}

TEST_CASE("Merge: users, groups, units, drop-ins and string lists merge by key") {
  CheckMerge(R"({"passwd": {
                  "users": [{"name": "bovik", "sshAuthorizedKeys": ["one", "two"],
                             "groups": ["wheel"], "uid": 1000},
                            {"name": "other", "shell": "/bin/sh"}],
                  "groups": [{"name": "g", "gid": 5}]},
                 "systemd": {"units": [{"name": "a.service", "contents": "A",
                   "dropins": [{"name": "10.conf", "contents": "x"}, {"name": "20.conf"}]}]},
                 "ignition": {"proxy": {"noProxy": ["a", "b"]}}})",
             R"({"passwd": {
                  "users": [{"name": "new"},
                            {"name": "bovik", "sshAuthorizedKeys": ["three", "two"],
                             "groups": ["docker"], "gecos": "B"}],
                  "groups": [{"name": "g", "system": true}]},
                 "systemd": {"units": [{"name": "a.service",
                   "dropins": [{"name": "20.conf", "contents": "y"}, {"name": "05.conf"}]},
                   {"name": "b.service", "enabled": true}]},
                 "ignition": {"proxy": {"noProxy": ["c", "a"]}}})",
             R"({"passwd": {
                  "users": [{"name": "bovik", "sshAuthorizedKeys": ["one", "two", "three"],
                             "groups": ["wheel", "docker"], "uid": 1000, "gecos": "B"},
                            {"name": "other", "shell": "/bin/sh"},
                            {"name": "new"}],
                  "groups": [{"name": "g", "gid": 5, "system": true}]},
                 "systemd": {"units": [{"name": "a.service", "contents": "A",
                   "dropins": [{"name": "10.conf", "contents": "x"},
                               {"name": "20.conf", "contents": "y"}, {"name": "05.conf"}]},
                   {"name": "b.service", "enabled": true}]},
                 "ignition": {"proxy": {"noProxy": ["a", "b", "c"]}}})");
}

TEST_CASE("Merge: config and CA references are keyed by source") {
  CheckMerge(R"({"ignition": {
                  "config": {"merge": [{"source": "http://a", "verification": {"hash": "sha512-1"}},
                                       {"source": "http://b"}]},
                  "security": {"tls": {"certificateAuthorities": [{"source": "data:,ca1"}]}}}})",
             R"({"ignition": {
                  "config": {"merge": [{"source": "http://c"},
                                       {"source": "http://a", "compression": "gzip"}]},
                  "security": {"tls": {"certificateAuthorities": [{"source": "data:,ca2"},
                                                                  {"source": "data:,ca1"}]}}}})",
             R"({"ignition": {
                  "config": {"merge": [{"source": "http://a", "compression": "gzip",
                                        "verification": {"hash": "sha512-1"}},
                                       {"source": "http://b"}, {"source": "http://c"}]},
                  "security": {"tls": {"certificateAuthorities": [{"source": "data:,ca1"},
                                                                  {"source": "data:,ca2"}]}}}})");
}

TEST_CASE("Merge: a subtree only in the parent or only in the child is kept whole") {
  const char* tree = R"({"storage": {
      "files": [{"path": "/a", "contents": {"source": "data:", "httpHeaders": [{"name": "h", "value": "v"}]},
                 "append": [{"source": "data:", "httpHeaders": [{"name": "h", "value": "v"}]}]}],
      "filesystems": [{"device": "/dev/sda", "options": ["z"]}]},
      "kernelArguments": {"shouldExist": ["a"]}})";
  CheckMerge(tree, "{}", tree);
  CHECK(Merge(Model(tree), Config{}) == Model(tree));
  CHECK(Merge(Config{}, Model(tree)) == Model(tree));
}

TEST_CASE("Merge: duplicate keys within the child are all appended when new") {
  // Only an invalid config has them; upstream appends each.
  CheckMerge(R"({"passwd": {"users": [{"name": "a"}]}})",
             R"({"passwd": {"users": [{"name": "b", "uid": 1}, {"name": "b", "uid": 2},
                                      {"name": "a", "uid": 3}, {"name": "a", "uid": 4}]}})",
             // the parent's "a" merges with the child's last "a"
             R"({"passwd": {"users": [{"name": "a", "uid": 4},
                                      {"name": "b", "uid": 1}, {"name": "b", "uid": 2}]}})");
}

}  // namespace
}  // namespace flint::schema
