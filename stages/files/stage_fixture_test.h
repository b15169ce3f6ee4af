// A StageContext over a scratch root for the files-stage step tests: fake
// runner, captured log, empty state.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "agent/fetch/fetcher.h"
#include "agent/log.h"
#include "agent/os/root.h"
#include "agent/os/runner.h"
#include "agent/stage_context.h"
#include "agent/state.h"
#include "schema/parse.h"
#include "tests/temp_dir.h"

namespace flint::stages {

struct StageFixture {
  StageFixture() : log(sink), fetcher(agent::MakeFetcher(log)) {
    flags.root = root.path().string();
    flags.config_provided = (run.path() / "config-provided").string();
  }

  // Parses `json` into `config`; fails the test when it does not parse.
  void Config(const std::string& json) {
    schema::ParseResult r = schema::Parse(json);
    if (!r.config) throw std::runtime_error("test config does not parse: " + r.report.String());
    config = *r.config;
  }

  agent::StageContext Context() { return {config, flags, env, runner, *fetcher, log, state}; }

  // The scratch root as the steps see it; it records what they changed.
  agent::Root& target() {
    if (!target_) target_ = std::make_unique<agent::Root>(root.path());
    return *target_;
  }
  bool Changed(const std::string& path) {
    const std::vector<std::string>& c = target().changed();
    return std::find(c.begin(), c.end(), path) != c.end();
  }

  testing::TempDir root;
  testing::TempDir run;
  schema::Config config;
  agent::Flags flags;
  agent::Env env = agent::FakeEnv({});
  agent::FakeRunner runner;
  agent::CapturingSink sink;
  agent::Log log;
  agent::State state;
  std::unique_ptr<agent::Fetcher> fetcher;

 private:
  std::unique_ptr<agent::Root> target_;
};

}  // namespace flint::stages
