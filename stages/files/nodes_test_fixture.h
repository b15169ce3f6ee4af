// For the files-stage unit tests: a scratch target and a StageContext whose
// config is parsed from JSON, with the real (data: URL) fetcher.
#pragma once

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "agent/fetch/fetcher.h"
#include "agent/log.h"
#include "agent/os/root.h"
#include "agent/os/runner.h"
#include "agent/stage_context.h"
#include "agent/state.h"
#include "schema/parse.h"
#include "tests/temp_dir.h"

namespace flint::stages::testing {

namespace fs = std::filesystem;

inline schema::Config ConfigOf(const std::string& json) {
  schema::ParseResult r = schema::Parse(json);
  INFO(r.report.String());
  REQUIRE(r.config);
  REQUIRE_FALSE(r.report.HasErrors());
  return *r.config;
}

// `{"ignition":{"version":V},"storage":STORAGE}`
inline std::string StorageConfig(const std::string& storage, const std::string& version = "3.4.0") {
  return R"({"ignition":{"version":")" + version + R"("},"storage":)" + storage + "}";
}

struct Target {
  flint::testing::TempDir tmp;
  fs::path root = tmp / "root";
  schema::Config config;
  agent::Flags flags;
  agent::Env env = agent::FakeEnv({});
  agent::FakeRunner runner;
  agent::CapturingSink sink;
  agent::Log log{sink, "files"};
  agent::State state;
  std::unique_ptr<agent::Fetcher> fetcher = agent::MakeFetcher(log);

  Target() {
    fs::create_directories(root);
    flags.root = root.string();
  }

  fs::path operator/(const std::string& rel) const { return root / rel; }
  std::string Write(const std::string& rel, const std::string& bytes) const {
    return tmp.Write("root/" + rel, bytes).string();
  }

  agent::StageContext Context(const std::string& json) {
    config = ConfigOf(json);
    return agent::StageContext{config, flags, env, runner, *fetcher, log, state};
  }
};

inline struct stat StatOf(const fs::path& p) {
  struct stat st;
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st;
}
inline mode_t ModeOf(const fs::path& p) { return StatOf(p).st_mode & 07777; }

// Leftover temp files anywhere under `dir`.
inline std::set<std::string> TempFiles(const fs::path& dir) {
  std::set<std::string> out;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().filename().string().rfind(".flint.", 0) == 0) out.insert(e.path().string());
  }
  return out;
}

}  // namespace flint::stages::testing
