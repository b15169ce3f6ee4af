// Certificates made at test time with the openssl command: a CA and a server
// certificate it signs for 127.0.0.1 and localhost, in a scratch directory.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "agent/os/runner.h"
#include "tests/temp_dir.h"

namespace flint::testing {

struct TestPki {
  std::filesystem::path ca_cert, ca_key, server_cert, server_key;
  std::string ca_pem;
};

inline TestPki MakeTestPki(const TempDir& dir, const std::string& name = "pki") {
  namespace fs = std::filesystem;
  fs::path d = dir / name;
  fs::create_directories(d);
  TestPki pki{d / "ca.crt", d / "ca.key", d / "server.crt", d / "server.key", ""};
  agent::ProcessRunner runner;
  auto run = [&](const agent::Argv& argv) {
    agent::RunResult r = runner.Run(argv);
    if (r.exit_code != 0) throw std::runtime_error(agent::FormatArgv(argv) + ": " + r.err);
  };
  const std::string openssl = "/usr/bin/openssl";
  run({openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
       pki.ca_key.string(), "-out", pki.ca_cert.string(), "-days", "2", "-subj", "/CN=flint test root CA"});
  fs::path csr = d / "server.csr", ext = d / "server.ext";
  std::ofstream(ext) << "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n";
  run({openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
       pki.server_key.string(), "-out", csr.string(), "-subj", "/CN=api-int.okd.example"});
  run({openssl, "x509", "-req", "-in", csr.string(), "-CA", pki.ca_cert.string(), "-CAkey", pki.ca_key.string(),
       "-CAcreateserial", "-out", pki.server_cert.string(), "-days", "1", "-extfile", ext.string()});
  pki.ca_pem = ReadAll(pki.ca_cert);
  return pki;
}

}  // namespace flint::testing
