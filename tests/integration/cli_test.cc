// The built `flint` binary, run as a user (or a boot unit) would: exit
// codes, messages, the ignition / ignition-validate names, and the config
// cache written by fetch-offline. Everything happens in a scratch directory;
// the system config dirs and the kernel command line point into it too.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "agent/os/runner.h"
#include "schema/encode.h"
#include "schema/parse.h"
#include "tests/temp_dir.h"

namespace flint {
namespace {

namespace fs = std::filesystem;
using agent::RunResult;
using testing::ReadAll;
using testing::TempDir;

const std::string kExample = FLINT_SOURCE_DIR "/tests/fixtures/configs/bootstrap-example.ign";
constexpr const char* kNewestConfig =
    R"({"ignition":{"version":"3.7.0-experimental"},"systemd":{"units":[{"name":"a.service","mask":true}]}})";
constexpr const char* kBadConfig = "{\"ignition\":{\"version\":\"3.4.0\"},\n \"storage\":{\"files\":[{\"path\":1}]}}";

class Scratch {
 public:
  Scratch() {
    fs::create_symlink(FLINT_BINARY, tmp_ / "ignition");
    fs::create_symlink(FLINT_BINARY, tmp_ / "ignition-validate");
    fs::create_symlink(FLINT_BINARY, tmp_ / "flint");
    tmp_.Write("cmdline", "BOOT_IMAGE=/vmlinuz ro quiet\n");
  }

  // Runs the binary under `name` (flint, ignition, ignition-validate) with a
  // clean environment pointing every system path into the scratch dir.
  RunResult Run(const std::string& name, std::vector<std::string> args, const std::string& input = "",
                std::vector<std::string> extra_env = {}) {
    agent::Argv argv = {"env", "-i", "PATH=/usr/bin:/bin",
                        "IGNITION_SYSTEM_RUNTIME_CONFIG_DIR=" + (tmp_ / "sys/run").string(),
                        "IGNITION_SYSTEM_LOCAL_CONFIG_DIR=" + (tmp_ / "sys/etc").string(),
                        "IGNITION_SYSTEM_CONFIG_DIR=" + (tmp_ / "sys/usr").string(),
                        "IGNITION_KERNEL_CMDLINE_PATH=" + (tmp_ / "cmdline").string(),
                        "IGNITION_CONFIG_FILE=" + (tmp_ / "config.ign").string()};
    argv.insert(argv.end(), extra_env.begin(), extra_env.end());
    argv.push_back((tmp_ / name).string());
    argv.insert(argv.end(), args.begin(), args.end());
    return runner_.Run(argv, input);
  }

  // The agent with every file flag pointing into the scratch dir.
  RunResult Agent(const std::string& stage, const std::string& platform = "file", const std::string& name = "flint") {
    return Run(name, {"-platform", platform, "--stage", stage, "-log-to-stdout", "-root", (tmp_ / "sysroot").string(),
                      "-config-cache=" + (tmp_ / "ignition.json").string(), "-state-file", (tmp_ / "state-dir/state").string(),
                      "-neednet", (tmp_ / "run/neednet").string(), "-config-provided-flag",
                      (tmp_ / "run/config-provided").string()});
  }

  TempDir& dir() { return tmp_; }

 private:
  TempDir tmp_;
  agent::ProcessRunner runner_;
};

mode_t ModeOf(const fs::path& p) {
  struct stat st;
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("cli: usage errors exit 2 with upstream's messages", "[cli]") {
  Scratch s;
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{}, "'--platform' must be provided\n"},
           {{"-stage", "fetch"}, "'--platform' must be provided\n"},
           {{"-platform", "file"}, "'--stage' must be provided\n"},
           {{"-platform", "bogus", "-stage", "fetch"},
            "invalid value \"bogus\" for flag -platform: bogus is not a valid platform\n"},
           {{"-platform", "file", "-stage", "install"},
            "invalid value \"install\" for flag -stage: install is not a valid stage\n"},
           {{"-platform", "file", "-stage", "fetch", "-bogus"}, "flag provided but not defined: -bogus\n"},
           {{"-platform", "file", "-stage", "fetch", "-fetch-timeout", "2 minutes"},
            "invalid value \"2 minutes\" for flag -fetch-timeout: parse error\n"},
           {{"-platform", "file", "-stage"}, "flag needs an argument: -stage\n"},
           {{"-log-to-stdout=maybe"}, "invalid boolean value \"maybe\" for -log-to-stdout: parse error\n"},
           {{"---platform", "file"}, "bad flag syntax: ---platform\n"},
       }) {
    std::string shown;
    for (const auto& a : c.args) shown += a + " ";
    INFO(shown);
    RunResult r = s.Run("flint", c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == c.message + "Run 'flint --help' for usage.\n");
    // Invoked as upstream's name: the same message, nothing else.
    RunResult as_ignition = s.Run("ignition", c.args);
    CHECK(as_ignition.exit_code == 2);
    CHECK(as_ignition.err == c.message);
  }
}

TEST_CASE("cli: -version", "[cli]") {
  Scratch s;
  for (std::string flag : {"-version", "--version", "-version=true"}) {
    RunResult r = s.Run("flint", {flag});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "flint " FLINT_VERSION "\n");
  }
  CHECK(s.Run("ignition", {"-version"}).out == "flint " FLINT_VERSION "\n");
  CHECK(s.Run("ignition-validate", {"-version"}).out == "flint " FLINT_VERSION "\n");
  // -version wins over missing flags, as upstream.
  CHECK(s.Run("flint", {"-stage", "fetch", "-version"}).exit_code == 0);
}

TEST_CASE("cli: --help documents everything", "[cli]") {
  Scratch s;
  RunResult r = s.Run("flint", {"--help"});
  CHECK(r.exit_code == 0);
  for (const char* needle :
       {"-platform NAME", "-stage NAME", "-root DIR", "-config-cache FILE", "-fetch-timeout DURATION", "(default 2m0s)",
        "-neednet FILE", "-state-file FILE", "-log-to-stdout", "-version", "flint validate FILE|-",
        "flint schema --version VERSION", "ignition-validate", "fetch-offline fetch kargs disks mount files umount",
        "IGNITION_CONFIG_FILE", "IGNITION_KERNEL_CMDLINE_PATH", "IGNITION_SYSTEM_RUNTIME_CONFIG_DIR",
        "IGNITION_SYSTEM_LOCAL_CONFIG_DIR", "IGNITION_SYSTEM_CONFIG_DIR", "FLINT_TOOL_", "/run/ignition.json",
        "EXIT STATUS", "  0  success", "  1  the stage failed", "  2  usage error", "  3  setup failure", "file ",
        "vmware*", "flint.config_drive_timeout", "3.0.0, 3.1.0, 3.2.0, 3.3.0, 3.4.0, 3.5.0, 3.6.0, 3.7.0-experimental"}) {
    INFO(needle);
    CHECK(Contains(r.out, needle));
  }
  CHECK(s.Run("flint", {"-h"}).out == r.out);
  CHECK(s.Run("flint", {"-help"}).out == r.out);
  CHECK(s.Run("flint", {"help"}).out == r.out);
  CHECK(s.Run("ignition", {"--help"}).exit_code == 0);
}

TEST_CASE("cli: validate", "[cli]") {
  Scratch s;
  s.dir().Write("bad.ign", kBadConfig);
  SECTION("a good file") {
    RunResult r = s.Run("flint", {"validate", kExample});
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK_FALSE(Contains(r.out, "error"));
  }
  SECTION("a file with errors") {
    RunResult r = s.Run("flint", {"validate", (s.dir() / "bad.ign").string()});
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.out, "error at $.storage.files.0.path, line 2 col"));
  }
  SECTION("standard input") {
    RunResult good = s.Run("flint", {"validate", "-"}, ReadAll(kExample));
    CHECK(good.exit_code == 0);
    RunResult bad = s.Run("flint", {"validate", "-"}, kBadConfig);
    CHECK(bad.exit_code == 1);
    CHECK(bad.out == s.Run("flint", {"validate", (s.dir() / "bad.ign").string()}).out);
    RunResult empty = s.Run("flint", {"validate", "-"}, "");
    CHECK(empty.exit_code == 1);
    CHECK(Contains(empty.out, "not a config (empty)"));
  }
  SECTION("an unreadable file") {
    RunResult r = s.Run("flint", {"validate", (s.dir() / "missing.ign").string()});
    CHECK(r.exit_code == 1);
    CHECK(r.err == "couldn't read config '" + (s.dir() / "missing.ign").string() + "': No such file or directory\n");
  }
  SECTION("usage") {
    CHECK(s.Run("flint", {"validate"}).exit_code == 2);
    CHECK(s.Run("flint", {"validate", "a", "b"}).exit_code == 2);
    CHECK(s.Run("flint", {"validate", "-x", kExample}).exit_code == 2);
    RunResult help = s.Run("flint", {"validate", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(Contains(help.out, "usage: flint validate FILE|-"));
  }
  SECTION("as ignition-validate") {
    RunResult bad = s.Run("ignition-validate", {(s.dir() / "bad.ign").string()});
    CHECK(bad.exit_code == 1);
    CHECK(bad.out == s.Run("flint", {"validate", (s.dir() / "bad.ign").string()}).out);
    CHECK(s.Run("ignition-validate", {kExample}).exit_code == 0);
    CHECK(s.Run("ignition-validate", {"-"}, kBadConfig).exit_code == 1);
    CHECK(s.Run("ignition-validate", {}).exit_code == 2);
  }
}

TEST_CASE("cli: invoked as ignition it is the agent only", "[cli]") {
  Scratch s;
  // No subcommands: "validate" is just a stray argument, as upstream.
  RunResult r = s.Run("ignition", {"validate", kExample});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "'--platform' must be provided\n");
  s.dir().Write("config.ign", kNewestConfig);
  RunResult fetched = s.Agent("fetch-offline", "file", "ignition");
  INFO(fetched.out);
  CHECK(fetched.exit_code == 0);
  CHECK(fs::exists(s.dir() / "ignition.json"));
}

TEST_CASE("cli: fetch-offline with the file platform writes the cache", "[cli]") {
  Scratch s;
  SECTION("a config of the newest version") {
    s.dir().Write("config.ign", kNewestConfig);
    RunResult r = s.Agent("fetch-offline");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(ModeOf(s.dir() / "ignition.json") == 0640);
    CHECK(ReadAll(s.dir() / "ignition.json") == schema::EncodeString(*schema::Parse(kNewestConfig).config));
    CHECK(Contains(r.out, "INFO: fetch-offline: fetch-offline passed\n"));
    CHECK(ModeOf(s.dir() / "state-dir/state") == 0600);
    CHECK(ModeOf(s.dir() / "state-dir") == 0700);
    CHECK(fs::exists(s.dir() / "run/config-provided"));
    CHECK_FALSE(fs::exists(s.dir() / "run/neednet"));
  }
  SECTION("an older config is cached in the newest version") {
    fs::copy_file(kExample, s.dir() / "config.ign");
    RunResult r = s.Agent("fetch-offline");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    std::string cached = ReadAll(s.dir() / "ignition.json");
    schema::ParseResult parsed = schema::Parse(ReadAll(kExample));
    REQUIRE(parsed.config);
    CHECK(cached == schema::EncodeString(*parsed.config));
    CHECK(nlohmann::json::parse(cached)["ignition"]["version"] == "3.7.0-experimental");
  }
  SECTION("a config that needs networking") {
    s.dir().Write("config.ign",
                  R"({"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/a","contents":{"source":"http://127.0.0.1:1/a"}}]}})");
    RunResult r = s.Agent("fetch-offline");
    CHECK(r.exit_code == 0);
    CHECK(fs::exists(s.dir() / "run/neednet"));
    CHECK(fs::exists(s.dir() / "ignition.json"));
  }
  SECTION("no config file") {
    RunResult r = s.Agent("fetch-offline");
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.out, "CRITICAL: fetch-offline: reading the config file '" + (s.dir() / "config.ign").string() +
                              "': No such file or directory\n"));
    CHECK_FALSE(fs::exists(s.dir() / "ignition.json"));
  }
  SECTION("an invalid config") {
    s.dir().Write("config.ign", kBadConfig);
    RunResult r = s.Agent("fetch-offline");
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.out, "ERROR: fetch-offline: platform file: error at $.storage.files.0.path"));
    CHECK_FALSE(fs::exists(s.dir() / "ignition.json"));
  }
}

TEST_CASE("cli: every stage runs in turn on a config that masks a unit", "[cli]") {
  Scratch s;
  s.dir().Write("config.ign", kNewestConfig);
  fs::create_directories(s.dir() / "sysroot");
  for (std::string stage : {"fetch-offline", "kargs", "disks", "mount", "files", "umount"}) {
    RunResult r = s.Agent(stage);
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK(Contains(r.out, "INFO: " + stage + ": " + stage + " passed\n"));
  }
  CHECK(fs::read_symlink(s.dir() / "sysroot/etc/systemd/system/a.service") == "/dev/null");
}

TEST_CASE("cli: a missing cache is a clear error", "[cli]") {
  Scratch s;
  RunResult r = s.Agent("disks");
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.out, "CRITICAL: disks: reading the config cache '" + (s.dir() / "ignition.json").string() +
                            "': No such file or directory (the fetch-offline or fetch stage writes it and must run "
                            "first)\n"));
}

TEST_CASE("cli: without journald, journal logging falls back to stderr", "[cli]") {
  if (::access("/run/systemd/journal/socket", F_OK) == 0) {
    WARN("journald is running here: the fallback is not exercised");
    return;
  }
  Scratch s;
  RunResult r = s.Run("flint", {"-platform", "file", "-stage", "disks", "-config-cache",
                                (s.dir() / "ignition.json").string(), "-state-file", (s.dir() / "state").string()});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(Contains(r.err, "CRITICAL: disks: reading the config cache"));
}

TEST_CASE("cli: platforms this build does not support fail at fetch time", "[cli]") {
  Scratch s;
  RunResult r = s.Agent("fetch", "virtualbox");
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.out, "CRITICAL: fetch: platform virtualbox is not supported by this build\n"));
}

TEST_CASE("cli: a corrupt state file is a setup failure", "[cli]") {
  Scratch s;
  s.dir().Write("state-dir/state", "not json");
  s.dir().Write("config.ign", kNewestConfig);
  RunResult r = s.Agent("fetch");
  CHECK(r.exit_code == 3);
  CHECK(Contains(r.out, "parsing the state file"));
}

TEST_CASE("cli: schema", "[cli]") {
  Scratch s;
  RunResult bad = s.Run("flint", {"schema", "--version", "2.2.0"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "flint schema: unsupported spec version \"2.2.0\"\n");
  CHECK(s.Run("flint", {"schema"}).exit_code == 2);
  RunResult r = s.Run("flint", {"schema", "--version", "3.4.0"});
  CHECK(r.exit_code == 0);
  CHECK_FALSE(nlohmann::json::parse(r.out).is_discarded());
  CHECK(s.Run("flint", {"schema", "--version=3.4.0"}).out == r.out);
}

}  // namespace
}  // namespace flint
