// The machine-config-server simulator (tests/servers/mcs_sim.py), started on
// a free port of 127.0.0.1 with a test CA and stopped with its owner; its
// request log is parsed for assertions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/integration/background_process.h"
#include "tests/integration/test_pki.h"
#include "tests/temp_dir.h"

namespace flint::testing {

struct McsOptions {
  int fail_first = 0;
  std::string token;
};

class McsSim {
 public:
  McsSim(const TempDir& dir, const TestPki& pki, const McsOptions& options = {}) : log_((dir / "mcs.log").string()) {
    std::vector<std::string> argv = {"/usr/bin/python3",
                                     FLINT_SOURCE_DIR "/tests/servers/mcs_sim.py",
                                     "--cert",
                                     pki.server_cert.string(),
                                     "--key",
                                     pki.server_key.string(),
                                     "--log",
                                     log_,
                                     "--fail-first",
                                     std::to_string(options.fail_first),
                                     "--mirror-ca",
                                     pki.ca_cert.string()};
    if (!options.token.empty()) {
      argv.push_back("--token");
      argv.push_back(options.token);
    }
    process_ = std::make_unique<BackgroundProcess>(argv, (dir / "mcs.stderr").string());
    std::string line = process_->ReadLine();
    if (line.rfind("PORT ", 0) != 0) throw std::runtime_error("mcs_sim.py said: " + line);
    port_ = std::stoi(line.substr(5));
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
  std::string log_;
  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
};

}  // namespace flint::testing
