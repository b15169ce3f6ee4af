// Fetching a node's config the OpenShift way: a pointer config (an inline
// CA and a merge of https://…/config/worker) rendered by `flint -platform
// file -stage fetch` against the machine-config-server simulator on
// 127.0.0.1, trusting the test CA of tests/servers.h.

#include <catch2/catch.hpp>
#include <filesystem>

#include "agent/digest.h"
#include "agent/os/runner.h"
#include "agent/state.h"
#include "schema/parse.h"
#include "schema/version.h"
#include "tests/integration/mcs_sim.h"
#include "tests/servers.h"
#include "tests/temp_dir.h"

namespace flint {
namespace {

namespace fs = std::filesystem;
using agent::RunResult;
using testing::McsOptions;
using testing::McsSim;
using testing::ReadAll;
using testing::TempDir;
using testing::TestCerts;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A machine: the flint binary with every system path in a scratch dir.
class Node {
 public:
  Node() { tmp_.Write("cmdline", "BOOT_IMAGE=/vmlinuz ro\n"); }

  RunResult Flint(const std::string& stage, const std::string& platform = "file",
                  const std::string& fetch_timeout = "30s") {
    agent::Argv argv = {"env",
                        "-i",
                        "PATH=/usr/bin:/bin",
                        "IGNITION_SYSTEM_RUNTIME_CONFIG_DIR=" + (tmp_ / "sys/run").string(),
                        "IGNITION_SYSTEM_LOCAL_CONFIG_DIR=" + (tmp_ / "sys/etc").string(),
                        "IGNITION_SYSTEM_CONFIG_DIR=" + (tmp_ / "sys/usr").string(),
                        "IGNITION_KERNEL_CMDLINE_PATH=" + (tmp_ / "cmdline").string(),
                        "IGNITION_CONFIG_FILE=" + (tmp_ / "config.ign").string(),
                        FLINT_BINARY,
                        "-platform",
                        platform,
                        "-stage",
                        stage,
                        "-log-to-stdout",
                        "-config-cache",
                        cache().string(),
                        "-state-file",
                        (tmp_ / "run/state").string(),
                        "-neednet",
                        (tmp_ / "run/neednet").string(),
                        "-config-provided-flag",
                        (tmp_ / "run/config-provided").string(),
                        "-fetch-timeout",
                        fetch_timeout};
    return runner_.Run(argv);
  }

  // The S1 pointer config: the root CA inline, the pool merged from the MCS.
  std::string Pointer(const std::string& url, const std::string& headers = "",
                      const std::string& kind = "merge") const {
    std::string ref = R"({"source":")" + url + "\"" + headers + "}";
    std::string refs = kind == "merge" ? R"("merge":[)" + ref + "]" : R"("replace":)" + ref;
    return R"({"ignition":{"version":"3.2.0","config":{)" + refs +
           R"(},"security":{"tls":{"certificateAuthorities":[{"source":"data:text/plain;charset=utf-8;base64,)" +
           agent::EncodeBase64(TestCerts::Get().Pem("ca.crt")) + R"("}]}}}})";
  }

  void WriteConfig(const std::string& config) { tmp_.Write("config.ign", config); }
  fs::path cache() const { return tmp_ / "ignition.json"; }
  agent::State State() const { return agent::LoadState(tmp_ / "run/state"); }
  bool NeedNet() const { return fs::exists(tmp_ / "run/neednet"); }
  const TempDir& dir() const { return tmp_; }

 private:
  TempDir tmp_;
  agent::ProcessRunner runner_;
};

std::vector<std::string> FilePaths(const schema::Config& c) {
  std::vector<std::string> paths;
  for (const auto& f : c.storage.files) paths.push_back(f.path);
  return paths;
}

schema::Config Cached(const Node& node) {
  schema::ParseResult parsed = schema::Parse(ReadAll(node.cache()));
  INFO(parsed.report.String());
  REQUIRE(parsed.config);
  return *parsed.config;
}

// Asks the simulator directly (Python's urllib, trusting the test CA).
struct Answer {
  int status = 0;
  std::string body;
};
Answer Ask(const McsSim& mcs, const std::string& path, const std::string& accept,
           const std::string& authorization = "", const std::string& method = "GET") {
  std::string script =
      "import ssl, sys, urllib.request, urllib.error\n"
      "ctx = ssl.create_default_context(cafile=sys.argv[2])\n"
      "req = urllib.request.Request(sys.argv[1], method=sys.argv[5])\n"
      "if sys.argv[3]: req.add_header('Accept', sys.argv[3])\n"
      "if sys.argv[4]: req.add_header('Authorization', sys.argv[4])\n"
      "try:\n"
      "    r = urllib.request.urlopen(req, context=ctx); code, body = r.status, r.read()\n"
      "except urllib.error.HTTPError as e:\n"
      "    code, body = e.code, e.read()\n"
      "sys.stdout.write(str(code) + '\\n' + body.decode())\n";
  agent::ProcessRunner runner;
  RunResult r = runner.Run(
      {testing::kPython, "-c", script, mcs.url(path), TestCerts::Get().Path("ca.crt"), accept, authorization, method});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  size_t nl = r.out.find('\n');
  return {std::stoi(r.out.substr(0, nl)), r.out.substr(nl + 1)};
}

std::string VersionOf(const std::string& config) {
  return nlohmann::json::parse(config)["ignition"]["version"].get<std::string>();
}

TEST_CASE("mcs simulator: spec version from the Accept header, as the real server", "[integration][mcs]") {
  TempDir tmp;
  McsSim mcs(tmp);
  const std::string ign = "application/vnd.coreos.ignition+json";
  struct Case {
    std::string accept;
    int status;
    std::string version;
  };
  for (const Case& c : std::vector<Case>{
           {ign + ";version=3.6.0, */*;q=0.1", 200, "3.4.0"},  // flint and Ignition 2.17+
           {ign + ";version=3.4.0, */*;q=0.1", 200, "3.4.0"},
           {ign + ";version=3.3.0, */*;q=0.1", 200, "3.2.0"},
           {ign + ";version=3.1.0, */*;q=0.1", 200, "3.1.0"},
           {ign + "; version=2.4.0, " + ign + "; version=1; q=0.5, */*; q=0.1", 200, "2.2.0"},  // Ignition 0.x
           {"*/*", 200, "2.2.0"},                                                               // curl
           {"", 200, "2.2.0"},
           {ign + ";version=3.0.0", 400, ""},
           {ign + ";version=4.0.0", 400, ""},
       }) {
    INFO(c.accept);
    Answer a = Ask(mcs, "/config/worker", c.accept);
    CHECK(a.status == c.status);
    if (c.status == 200) {
      CHECK(VersionOf(a.body) == c.version);
      // The served config is one flint takes (3.x) or rejects clearly (2.x).
      schema::ParseResult parsed = schema::Parse(a.body);
      CHECK(parsed.config.has_value() == (c.version[0] == '3'));
    }
  }
  CHECK(Ask(mcs, "/config/infra", "").status == 404);
  CHECK(Ask(mcs, "/healthz", "").status == 200);
  CHECK(Ask(mcs, "/config/worker", "", "", "POST").status == 405);
  std::vector<nlohmann::json> log = mcs.Requests();
  REQUIRE(log.size() == 12);
  CHECK(log[0]["served_version"] == "3.4.0");
  CHECK(log[0]["status"] == 200);
  CHECK(log[0]["sha512"] == agent::Sha512Hex(Ask(mcs, "/config/worker", ign + ";version=3.6.0").body));
}

TEST_CASE("mcs simulator: 500 until ready, bearer token, never logged", "[integration][mcs]") {
  TempDir tmp;
  McsSim mcs(tmp, McsOptions{2, "t0k3n-s3cret"});
  const std::string accept = "application/vnd.coreos.ignition+json;version=3.6.0, */*;q=0.1";
  CHECK(Ask(mcs, "/config/worker", accept).status == 401);
  CHECK(Ask(mcs, "/config/worker", accept, "Bearer wrong").status == 401);
  CHECK(Ask(mcs, "/config/worker", accept, "Bearer t0k3n-s3cret").status == 500);
  CHECK(Ask(mcs, "/config/worker", accept, "Bearer t0k3n-s3cret").status == 500);
  Answer ok = Ask(mcs, "/config/worker", accept, "Bearer t0k3n-s3cret");
  CHECK(ok.status == 200);
  // S2's served config: mirror CA bundle, registries.conf, pull secret, kubelet.
  schema::ParseResult parsed = schema::Parse(ok.body);
  REQUIRE(parsed.config);
  CHECK(FilePaths(*parsed.config) ==
        std::vector<std::string>{"/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt",
                                 "/etc/containers/registries.conf", "/var/lib/kubelet/config.json",
                                 "/etc/kubernetes/pool"});
  CHECK(parsed.config->storage.files[2].mode == 0600);
  CHECK(parsed.config->systemd.units.at(0).name == "kubelet.service");
  std::vector<nlohmann::json> log = mcs.Requests();
  REQUIRE(log.size() == 5);
  CHECK(log[0]["authorization"] == "absent");
  CHECK(log[1]["authorization"] == "present");
  CHECK(log[4]["authorization"] == "valid");
  CHECK_FALSE(Contains(mcs.LogText(), "t0k3n"));
}

TEST_CASE("mcs: fetch-offline with a pointer config asks for networking", "[integration][mcs]") {
  Node node;
  McsSim mcs(node.dir());
  node.WriteConfig(node.Pointer(mcs.url("/config/worker")));
  RunResult r = node.Flint("fetch-offline");
  INFO(r.out + r.err);
  CHECK(r.exit_code == 0);
  CHECK(node.NeedNet());
  CHECK_FALSE(fs::exists(node.cache()));
  CHECK(mcs.Requests().empty());  // nothing was fetched offline
}

TEST_CASE("mcs: a worker's pointer config is rendered with the MCS config", "[integration][mcs]") {
  Node node;
  McsSim mcs(node.dir());
  std::string pointer = node.Pointer(mcs.url("/config/worker"));
  node.WriteConfig(pointer);
  RunResult r = node.Flint("fetch");
  INFO(r.out + r.err);
  REQUIRE(r.exit_code == 0);
  schema::Config cached = Cached(node);
  CHECK(FilePaths(cached) ==
        std::vector<std::string>{"/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt",
                                 "/etc/containers/registries.conf", "/var/lib/kubelet/config.json",
                                 "/etc/kubernetes/pool"});
  CHECK(cached.systemd.units.at(0).name == "kubelet.service");
  std::vector<nlohmann::json> log = mcs.Requests();
  REQUIRE(log.size() == 1);
  CHECK(log[0]["served_version"] == "3.4.0");
  CHECK(log[0]["user_agent"].get<std::string>().rfind("flint/", 0) == 0);
  CHECK(log[0]["accept"] == "application/vnd.coreos.ignition+json;version=3.6.0, */*;q=0.1");
  CHECK(log[0]["accept_encoding"] == "identity");
  CHECK(node.State().fetched_configs ==
        std::vector<agent::FetchedConfig>{{"user", "file", false, agent::Sha512Hex(pointer)},
                                          {"user", mcs.url("/config/worker"), true, log[0]["sha512"]}});
  CHECK(Contains(r.out, "fetched referenced user config from \"" + mcs.url("/config/worker") + "\""));
}

TEST_CASE("mcs: a server that answers 500 at first is retried until ready", "[integration][mcs]") {
  Node node;
  McsSim mcs(node.dir(), McsOptions{3, ""});
  node.WriteConfig(node.Pointer(mcs.url("/config/master")));
  RunResult r = node.Flint("fetch");
  INFO(r.out + r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<nlohmann::json> log = mcs.Requests();
  REQUIRE(log.size() == 4);
  CHECK(log[2]["status"] == 500);
  CHECK(log[3]["status"] == 200);
  CHECK(FilePaths(Cached(node)).back() == "/etc/kubernetes/pool");
}

TEST_CASE("mcs: a hosted cluster's bearer token is sent and never logged", "[integration][mcs]") {
  Node node;
  const std::string token = "hcp-t0k3n-4f9a";
  McsSim mcs(node.dir(), McsOptions{0, token});
  node.WriteConfig(node.Pointer(mcs.url("/config/worker"),
                                R"(,"httpHeaders":[{"name":"Authorization","value":"Bearer )" + token + "\"}]"));
  RunResult r = node.Flint("fetch");
  INFO(r.out + r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(mcs.Requests().at(0)["authorization"] == "valid");
  CHECK_FALSE(Contains(r.out + r.err, token));
  CHECK_FALSE(Contains(mcs.LogText(), token));
  CHECK_FALSE(Contains(ReadAll(node.dir() / "run/state"), token));

  // Without the header: refused, and the failure says so.
  Node other;
  McsSim locked(other.dir(), McsOptions{0, token});
  other.WriteConfig(other.Pointer(locked.url("/config/worker")));
  RunResult refused = other.Flint("fetch");
  INFO(refused.out + refused.err);
  CHECK(refused.exit_code == 1);
  CHECK(Contains(refused.out + refused.err, "401"));
  CHECK_FALSE(fs::exists(other.cache()));
}

TEST_CASE("mcs: a pointer config that replaces itself with the MCS config", "[integration][mcs]") {
  Node node;
  McsSim mcs(node.dir());
  node.WriteConfig(node.Pointer(mcs.url("/config/bootstrap"), "", "replace"));
  RunResult r = node.Flint("fetch");
  INFO(r.out + r.err);
  REQUIRE(r.exit_code == 0);
  schema::Config cached = Cached(node);
  // Replaced: the pointer's CA is gone with it; the served config stands
  // alone, translated like every config to the newest spec version (as
  // upstream caches it), not the 3.4.0 it was served as.
  CHECK(cached.ignition.security.tls.certificate_authorities.empty());
  CHECK(cached.ignition.version == schema::VersionString(schema::kNewestVersion));
  CHECK(mcs.Requests().at(0)["served_version"] == "3.4.0");
  CHECK(node.State().fetched_configs.size() == 2);
  CHECK(node.State().fetched_configs.at(1).referenced);
  CHECK(FilePaths(cached).size() == 4);
}

}  // namespace
}  // namespace flint
