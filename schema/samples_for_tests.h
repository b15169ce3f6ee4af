// Test-only sample configs: a realistic valid config for every accepted spec
// version, and a generator of configs that set every field a version has
// (walking the field table). Pure; header-only so only tests pull it in.
#pragma once

#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "schema/fields.h"
#include "schema/version.h"

namespace flint::schema::samples {

struct VersionSample {
  Version version;
  // A valid config declaring `version`, using what that version added.
  const char* input;
  // Its model after translation, as JSON in the newest version's shape
  // (without ignition.version, which becomes the newest).
  const char* translated;
};

// Mode 2541 is 04755 and 1023 is 01777: masked to 0755 (493) and 0777 (511)
// before 3.6.
inline const std::vector<VersionSample>& VersionSamples() {
  static const std::vector<VersionSample> samples = {
      {Version::k3_0, R"({
        "ignition": {"version": "3.0.0",
          "config": {"replace": {"source": "https://example.com/c.ign"}},
          "security": {"tls": {"certificateAuthorities": [{"source": "https://example.com/ca.pem"}]}},
          "timeouts": {"httpTotal": 30}},
        "passwd": {"users": [{"name": "core", "sshAuthorizedKeys": ["ssh-ed25519 AAAA core"]}]},
        "storage": {
          "files": [{"path": "/etc/motd", "contents": {"source": "data:,hi", "compression": ""},
                     "mode": 2541}],
          "links": [{"path": "/etc/l", "target": "/etc/motd"}],
          "raid": [{"name": "md0", "level": "raid1", "devices": ["/dev/vda", "/dev/vdb"]}]},
        "systemd": {"units": [{"name": "a.service", "enabled": true,
          "contents": "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"}]}})",
       R"({
        "ignition": {
          "config": {"replace": {"source": "https://example.com/c.ign"}},
          "security": {"tls": {"certificateAuthorities": [{"source": "https://example.com/ca.pem"}]}},
          "timeouts": {"httpTotal": 30}},
        "passwd": {"users": [{"name": "core", "sshAuthorizedKeys": ["ssh-ed25519 AAAA core"]}]},
        "storage": {
          "files": [{"path": "/etc/motd", "contents": {"source": "data:,hi", "compression": ""},
                     "mode": 493}],
          "links": [{"path": "/etc/l", "target": "/etc/motd"}],
          "raid": [{"name": "md0", "level": "raid1", "devices": ["/dev/vda", "/dev/vdb"]}]},
        "systemd": {"units": [{"name": "a.service", "enabled": true,
          "contents": "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"}]}})"},
      {Version::k3_1, R"({
        "ignition": {"version": "3.1.0",
          "proxy": {"httpsProxy": "http://proxy.example.com:3128", "noProxy": ["example.com"]},
          "config": {"merge": [{"source": "https://example.com/m.ign", "compression": "gzip",
            "httpHeaders": [{"name": "Authorization", "value": "Bearer abc"}]}]}},
        "storage": {
          "filesystems": [{"device": "/dev/vdb", "format": "ext4", "path": "/var/data",
                           "mountOptions": ["noatime"]}],
          "directories": [{"path": "/var/shared", "mode": 1023}]}})",
       R"({
        "ignition": {
          "proxy": {"httpsProxy": "http://proxy.example.com:3128", "noProxy": ["example.com"]},
          "config": {"merge": [{"source": "https://example.com/m.ign", "compression": "gzip",
            "httpHeaders": [{"name": "Authorization", "value": "Bearer abc"}]}]}},
        "storage": {
          "filesystems": [{"device": "/dev/vdb", "format": "ext4", "path": "/var/data",
                           "mountOptions": ["noatime"]}],
          "directories": [{"path": "/var/shared", "mode": 511}]}})"},
      {Version::k3_2, R"({
        "ignition": {"version": "3.2.0"},
        "passwd": {"users": [{"name": "old", "shouldExist": false}],
                   "groups": [{"name": "gone", "shouldExist": false}]},
        "storage": {
          "disks": [{"device": "/dev/vda", "partitions": [{"label": "root", "number": 4, "resize": true}]}],
          "luks": [{"name": "data", "device": "/dev/vdc",
                    "clevis": {"custom": {"needsNetwork": false, "pin": "tpm2", "config": "{}"}}}]}})",
       R"({
        "passwd": {"users": [{"name": "old", "shouldExist": false}],
                   "groups": [{"name": "gone", "shouldExist": false}]},
        "storage": {
          "disks": [{"device": "/dev/vda", "partitions": [{"label": "root", "number": 4, "resize": true}]}],
          "luks": [{"name": "data", "device": "/dev/vdc",
                    "clevis": {"custom": {"needsNetwork": false, "pin": "tpm2", "config": "{}"}}}]}})"},
      {Version::k3_3, R"({
        "ignition": {"version": "3.3.0"},
        "kernelArguments": {"shouldExist": ["console=ttyS0"], "shouldNotExist": ["quiet"]},
        "storage": {
          "filesystems": [{"device": "/dev/vdb", "format": "none"}],
          "files": [{"path": "/usr/local/bin/tool", "mode": 2541}]}})",
       R"({
        "kernelArguments": {"shouldExist": ["console=ttyS0"], "shouldNotExist": ["quiet"]},
        "storage": {
          "filesystems": [{"device": "/dev/vdb", "format": "none"}],
          "files": [{"path": "/usr/local/bin/tool", "mode": 493}]}})"},
      {Version::k3_4, R"({
        "ignition": {"version": "3.4.0"},
        "storage": {"luks": [{"name": "enc", "device": "/dev/vdd", "discard": true,
          "openOptions": ["--perf-no_read_workqueue"],
          "clevis": {"tang": [{"url": "http://tang.example.com", "thumbprint": "abc",
                               "advertisement": "{\"payload\": \"x\"}"}]}}],
          "directories": [{"path": "/srv/tmp", "mode": 1023}]}})",
       R"({
        "storage": {"luks": [{"name": "enc", "device": "/dev/vdd", "discard": true,
          "openOptions": ["--perf-no_read_workqueue"],
          "clevis": {"tang": [{"url": "http://tang.example.com", "thumbprint": "abc",
                               "advertisement": "{\"payload\": \"x\"}"}]}}],
          "directories": [{"path": "/srv/tmp", "mode": 511}]}})"},
      {Version::k3_5, R"({
        "ignition": {"version": "3.5.0"},
        "storage": {"luks": [{"name": "cexvol", "device": "/dev/vde", "cex": {"enabled": true}}],
                    "files": [{"path": "/usr/local/bin/su2", "mode": 3565}]}})",
       R"({
        "storage": {"luks": [{"name": "cexvol", "device": "/dev/vde", "cex": {"enabled": true}}],
                    "files": [{"path": "/usr/local/bin/su2", "mode": 493}]}})"},
      {Version::k3_6, R"({
        "ignition": {"version": "3.6.0"},
        "storage": {"files": [{"path": "/usr/local/bin/su3", "mode": 2541}],
                    "directories": [{"path": "/srv/shared", "mode": 1023}]}})",
       R"({
        "storage": {"files": [{"path": "/usr/local/bin/su3", "mode": 2541}],
                    "directories": [{"path": "/srv/shared", "mode": 1023}]}})"},
      {Version::k3_7_exp, R"({
        "ignition": {"version": "3.7.0-experimental"},
        "kernelArguments": {"shouldExist": ["console=ttyS0"]},
        "storage": {"files": [{"path": "/usr/local/bin/su4", "mode": 2541}]}})",
       R"({
        "kernelArguments": {"shouldExist": ["console=ttyS0"]},
        "storage": {"files": [{"path": "/usr/local/bin/su4", "mode": 2541}]}})"},
  };
  return samples;
}

// A config (as JSON) setting every field that `version` has, with dummy
// values: strings "x", integers 1, booleans true, lists of one item. Not a
// valid config: for decode/encode/schema tests that skip validation.
class EveryField {
 public:
  explicit EveryField(Version version) : version_(version) {}

  nlohmann::json Config() {
    schema::Config model;
    nlohmann::json out = Value(model);
    out["ignition"]["version"] = std::string(VersionString(version_));
    return out;
  }

 private:
  template <Record T>
  nlohmann::json Value(const T& record) {
    nlohmann::json out = nlohmann::json::object();
    VisitFields(
        [&](const FieldInfo& f, const auto& member) {
          Version since = f.since;
          if (f.name == "compression" && file_resource_) since = Version::k3_0;
          if (since > version_) return;
          bool saved = file_resource_;
          file_resource_ = f.compression_in_3_0;
          out[std::string(f.name)] = Value(member);
          file_resource_ = saved;
        },
        record);
    return out;
  }
  nlohmann::json Value(const std::string&) { return "x"; }
  nlohmann::json Value(const OptString&) { return "x"; }
  nlohmann::json Value(const int64_t&) { return 1; }
  nlohmann::json Value(const OptInt&) { return 1; }
  nlohmann::json Value(const OptBool&) { return true; }
  template <class T>
  nlohmann::json Value(const std::vector<T>&) {
    return nlohmann::json::array({Value(T{})});
  }

  Version version_;
  bool file_resource_ = false;
};

}  // namespace flint::schema::samples
