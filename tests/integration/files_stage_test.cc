// The built `flint` binary runs `-platform file -stage fetch` then
// `-stage files` with -root a scratch target, on a worker config shaped like
// an OpenShift one (../shared/SCENARIOS.md S1, issue 4 §8): /etc/motd
// appended with an owner by name and decimal mode 420, 200 files under /etc
// and /opt, a CA bundle, registries.conf, the pull secret at 0600, links.
// Then every byte, mode, owner and link is checked — the machine-config
// daemon marks a node degraded on any drift.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "agent/os/runner.h"
#include "tests/temp_dir.h"

namespace flint {
namespace {

namespace fs = std::filesystem;
using agent::RunResult;
using nlohmann::json;
using testing::ReadAll;
using testing::TempDir;

std::string Base64(std::string_view in) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (size_t rest = in.size() - i) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (rest == 2) v |= uint8_t(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string PercentEncoded(std::string_view in) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string DataUrl(std::string_view bytes, bool base64) {
  if (base64) return "data:text/plain;charset=utf-8;base64," + Base64(bytes);
  return "data:," + PercentEncoded(bytes);
}

struct ExpectedFile {
  std::string path;
  std::string bytes;
  mode_t mode;
  uid_t uid;
  gid_t gid;
};

struct WorkerConfig {
  json config;
  std::vector<ExpectedFile> files;
  std::vector<std::string> bulk_paths;  // the 200, in config order
  size_t bulk_offset = 0;               // config index of the first of them
};

constexpr const char* kMotdBefore = "Fedora CoreOS 38.20230609.3.0\n";
constexpr const char* kMotdAppend =
    "This is the bootstrap node; it will be destroyed when the master is fully up.\n\n"
    "The primary services are release-image.service followed by bootkube.service. To watch their status, run e.g.\n\n"
    "  journalctl -b -f -u release-image.service -u bootkube.service\n";
constexpr const char* kCa =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBszCCAVmgAwIBAgIUQ2Zk7mR4bW1pcnJvci1yZWdpc3RyeS1jYTAKBggqhkjOPQQDAjAfMR0wGwYDVQQD\n"
    "DBRtaXJyb3IucmVnaXN0cnkubG9jYWwwHhcNMjMwMTAxMDAwMDAwWhcNMzMwMTAxMDAwMDAwWjAfMR0wGwYD\n"
    "-----END CERTIFICATE-----\n";
constexpr const char* kRegistries =
    "unqualified-search-registries = [\"registry.access.redhat.com\", \"docker.io\"]\n\n"
    "[[registry]]\n  prefix = \"\"\n  location = \"quay.io/openshift-release-dev/ocp-release\"\n"
    "  mirror-by-digest-only = true\n\n  [[registry.mirror]]\n"
    "    location = \"mirror.registry.local:5000/ocp4/openshift4\"\n";
constexpr const char* kPullSecret =
    R"({"auths":{"mirror.registry.local:5000":{"auth":"ZHVtbXk6ZHVtbXk=","email":"ops@example.com"}}})";
const std::string kWrongHash = "sha512-" + std::string(128, '0');

// `bad_hash` (1-based) gives that one of the 200 files a hash nothing matches.
WorkerConfig MakeWorkerConfig(int bad_hash = 0) {
  WorkerConfig w;
  json files = json::array();
  auto add = [&](json entry, ExpectedFile expected) {
    files.push_back(std::move(entry));
    w.files.push_back(std::move(expected));
  };
  add({{"overwrite", false},
       {"path", "/etc/motd"},
       {"user", {{"name", "core"}}},
       {"append", json::array({{{"source", DataUrl(kMotdAppend, true)}}})},
       {"mode", 420}},
      {"/etc/motd", std::string(kMotdBefore) + kMotdAppend, 0644, 1000, 0});
  add({{"path", "/etc/pki/ca-trust/source/anchors/ca.crt"}, {"contents", {{"source", DataUrl(kCa, true)}}}, {"mode", 420}},
      {"/etc/pki/ca-trust/source/anchors/ca.crt", kCa, 0644, 0, 0});
  add({{"overwrite", true},
       {"path", "/etc/containers/registries.conf"},
       {"contents", {{"source", DataUrl(kRegistries, false)}}},
       {"mode", 420}},
      {"/etc/containers/registries.conf", kRegistries, 0644, 0, 0});
  add({{"path", "/var/lib/kubelet/config.json"},
       {"contents", {{"source", DataUrl(kPullSecret, true)}}},
       {"mode", 384},
       {"user", {{"name", "root"}}}},
      {"/var/lib/kubelet/config.json", kPullSecret, 0600, 0, 0});
  w.bulk_offset = files.size();
  for (int i = 1; i <= 200; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, i <= 100 ? "/etc/kubernetes/conf.d/%03d.conf" : "/opt/openshift/manifests/%03d.yaml", i);
    std::string bytes = "# generated file " + std::to_string(i) + "\nkey_" + std::to_string(i) + " = \"" +
                        std::string(static_cast<size_t>(i % 37) + 1, static_cast<char>('a' + i % 26)) + "\"\n";
    mode_t mode = i % 3 == 0 ? 0600 : i % 3 == 1 ? 0644 : 0755;
    json entry = {{"path", name}, {"contents", {{"source", DataUrl(bytes, i % 2 == 0)}}}, {"mode", mode}};
    uid_t uid = 0;
    gid_t gid = 0;
    if (i % 10 == 0) {
      entry["user"] = {{"name", "core"}};
      entry["group"] = {{"name", "core"}};
      uid = gid = 1000;
    } else if (i % 10 == 5) {
      entry["user"] = {{"id", 4242}};
      uid = 4242;
    }
    if (i == bad_hash) entry["contents"]["verification"] = {{"hash", kWrongHash}};
    w.bulk_paths.push_back(name);
    add(std::move(entry), {name, bytes, mode, uid, gid});
  }
  w.config = {
      {"ignition", {{"version", "3.2.0"}}},
      {"storage",
       {{"files", files},
        {"directories",
         json::array({{{"path", "/var/lib/etcd"}, {"mode", 448}},
                      {{"path", "/opt/openshift"}, {"user", {{"name", "core"}}}}})},
        {"links", json::array({{{"path", "/etc/localtime"}, {"target", "../usr/share/zoneinfo/UTC"}},
                               {{"path", "/root/.docker/config.json"},
                                {"target", "/var/lib/kubelet/config.json"},
                                {"hard", true}}})}}}};
  return w;
}

// The flint binary with its flags and system paths pointing into a scratch
// directory; the target is `<scratch>/sysroot`.
class Flint {
 public:
  Flint() {
    tmp_.Write("cmdline", "BOOT_IMAGE=/vmlinuz ro quiet\n");
    // The target image: core exists; /etc/motd is the OS's.
    tmp_.Write("sysroot/etc/passwd", "root:x:0:0:root:/root:/bin/bash\ncore:x:1000:1000:CoreOS Admin:/var/home/core:/bin/bash\n");
    tmp_.Write("sysroot/etc/group", "root:x:0:\nwheel:x:10:core\ncore:x:1000:\n");
    tmp_.Write("sysroot/etc/motd", kMotdBefore);
    tmp_.Write("sysroot/usr/share/zoneinfo/UTC", "TZif2\n");
  }

  RunResult Agent(const std::string& stage, std::vector<std::string> env = {}) {
    agent::Argv argv = {"env", "-i", "PATH=/usr/bin:/bin",
                        "IGNITION_SYSTEM_RUNTIME_CONFIG_DIR=" + (tmp_ / "sys/run").string(),
                        "IGNITION_SYSTEM_LOCAL_CONFIG_DIR=" + (tmp_ / "sys/etc").string(),
                        "IGNITION_SYSTEM_CONFIG_DIR=" + (tmp_ / "sys/usr").string(),
                        "IGNITION_KERNEL_CMDLINE_PATH=" + (tmp_ / "cmdline").string(),
                        "IGNITION_CONFIG_FILE=" + (tmp_ / "config.ign").string()};
    argv.insert(argv.end(), env.begin(), env.end());
    for (std::string a : {std::string(FLINT_BINARY), std::string("-platform"), std::string("file"), std::string("-stage"),
                          stage, std::string("-log-to-stdout"), std::string("-root"), root().string(),
                          "-config-cache=" + (tmp_ / "ignition.json").string(), std::string("-state-file"),
                          (tmp_ / "state-dir/state").string(), std::string("-neednet"), (tmp_ / "run/neednet").string()}) {
      argv.push_back(a);
    }
    return runner_.Run(argv);
  }

  void SetConfig(const json& config) { tmp_.Write("config.ign", config.dump(2)); }
  fs::path root() const { return tmp_ / "sysroot"; }

 private:
  TempDir tmp_;
  agent::ProcessRunner runner_;
};

struct stat LstatOf(const fs::path& p) {
  struct stat st;
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st;
}

std::vector<std::string> TempFilesUnder(const fs::path& dir) {
  std::vector<std::string> out;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().filename().string().rfind(".flint.", 0) == 0) out.push_back(e.path().string());
  }
  return out;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("files stage: a worker config, every byte, mode, owner and link", "[files]") {
  std::string resolver = GENERATE("", "walk");
  INFO("FLINT_ROOT_RESOLVER=" << resolver);
  Flint flint;
  WorkerConfig w = MakeWorkerConfig();
  flint.SetConfig(w.config);
  std::vector<std::string> env;
  if (!resolver.empty()) env.push_back("FLINT_ROOT_RESOLVER=" + resolver);

  RunResult fetch = flint.Agent("fetch", env);
  INFO(fetch.out << fetch.err);
  REQUIRE(fetch.exit_code == 0);
  RunResult files = flint.Agent("files", env);
  INFO(files.out << files.err);
  REQUIRE(files.exit_code == 0);
  CHECK(Contains(files.out, "INFO: files: files passed\n"));
  CHECK_FALSE(Contains(files.out, kPullSecret));  // contents are never logged

  fs::path root = flint.root();
  REQUIRE(w.files.size() == 204);
  for (const ExpectedFile& f : w.files) {
    INFO(f.path);
    fs::path p = root / f.path.substr(1);
    struct stat st = LstatOf(p);
    REQUIRE(S_ISREG(st.st_mode));
    CHECK(ReadAll(p) == f.bytes);
    CHECK((st.st_mode & 07777) == f.mode);
    CHECK(st.st_uid == f.uid);
    CHECK(st.st_gid == f.gid);
  }
  for (const char* dir : {"etc/kubernetes", "etc/kubernetes/conf.d", "etc/pki/ca-trust/source/anchors",
                          "etc/containers", "var/lib/kubelet", "opt/openshift/manifests", "root/.docker"}) {
    INFO(dir);
    struct stat st = LstatOf(root / dir);
    CHECK(S_ISDIR(st.st_mode));
    CHECK((st.st_mode & 07777) == 0755);
    CHECK(st.st_uid == 0);
    CHECK(st.st_gid == 0);
  }
  struct stat etcd = LstatOf(root / "var/lib/etcd");
  CHECK((etcd.st_mode & 07777) == 0700);
  struct stat openshift = LstatOf(root / "opt/openshift");
  CHECK((openshift.st_mode & 07777) == 0755);
  CHECK(openshift.st_uid == 1000);
  CHECK(openshift.st_gid == 0);
  CHECK(fs::read_symlink(root / "etc/localtime") == "../usr/share/zoneinfo/UTC");
  CHECK(LstatOf(root / "root/.docker/config.json").st_ino == LstatOf(root / "var/lib/kubelet/config.json").st_ino);
  // Nothing else appeared: 204 files + the 3 prepared, 1 symlink, 1 hard link,
  // and the result file.
  CHECK((LstatOf(root / "etc/.ignition-result.json").st_mode & 07777) == 0600);
  size_t regular = 0;
  for (auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && !e.is_symlink()) ++regular;
  }
  CHECK(regular == 204 + 3 + 1 + 1);
  CHECK(TempFilesUnder(root).empty());
}

TEST_CASE("files stage: a bad hash on file 150 of 200 fails, naming the file and field", "[files]") {
  Flint flint;
  WorkerConfig w = MakeWorkerConfig(150);
  flint.SetConfig(w.config);
  RunResult fetch = flint.Agent("fetch");
  INFO(fetch.out << fetch.err);
  REQUIRE(fetch.exit_code == 0);
  RunResult files = flint.Agent("files");
  INFO(files.out << files.err);
  CHECK(files.exit_code == 1);
  const std::string path = w.bulk_paths[149];
  CHECK(path == "/opt/openshift/manifests/150.yaml");
  const std::string field = "$.storage.files." + std::to_string(w.bulk_offset + 149) + ".contents";
  // With the data-only fetcher the cause is "hash verification is not
  // implemented yet"; with the complete one, the mismatch. Either way: the
  // file, the field, and no temp file anywhere.
  CHECK(Contains(files.out, "CRITICAL: files: writing file '" + (flint.root() / path.substr(1)).string() +
                                "' (at " + field));
  CHECK(Contains(files.out, "fetching a data URL: "));
  CHECK_FALSE(fs::exists(flint.root() / path.substr(1)));
  CHECK(TempFilesUnder(flint.root()).empty());
  // The motd is appended to atomically or not at all.
  std::string motd = ReadAll(flint.root() / "etc/motd");
  CHECK((motd == kMotdBefore || motd == std::string(kMotdBefore) + kMotdAppend));
}

}  // namespace
}  // namespace flint
