// The machine-config-server simulator (tests/servers/mcs_sim.py), started on
// a free port of 127.0.0.1 with the test certificates of tests/servers.h
// (served as "good", mirrored as the CA bundle) and stopped with its owner;
// its request log is parsed for assertions.
#pragma once

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/servers.h"
#include "tests/temp_dir.h"

namespace flint::testing {

struct McsOptions {
  int fail_first = 0;
  std::string token;
};

class McsSim {
 public:
  McsSim(const TempDir& dir, const McsOptions& options = {})
      : log_((dir / "mcs.log").string()), process_(Argv(log_, options), (dir / "mcs.stderr").string()) {
    port_ = std::stoi(process_.WaitForLine("PORT ", std::chrono::seconds(10)));
  }

  std::string url(const std::string& path) const { return "https://127.0.0.1:" + std::to_string(port_) + path; }
  int port() const { return port_; }

  // The log, one JSON object per request.
  std::vector<nlohmann::json> Requests() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(log_);
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  }
  std::string LogText() const { return ReadAll(log_); }

 private:
  static std::vector<std::string> Argv(const std::string& log, const McsOptions& options) {
    const TestCerts& certs = TestCerts::Get();
    std::vector<std::string> argv = {kPython,       kServersDir + "/mcs_sim.py",
                                     "--cert",      certs.Path("good.crt"),
                                     "--key",       certs.Path("good.key"),
                                     "--log",       log,
                                     "--fail-first", std::to_string(options.fail_first),
                                     "--mirror-ca", certs.Path("ca.crt")};
    if (!options.token.empty()) argv.insert(argv.end(), {"--token", options.token});
    return argv;
  }

  std::string log_;
  ChildProcess process_;
  int port_ = 0;
};

}  // namespace flint::testing
