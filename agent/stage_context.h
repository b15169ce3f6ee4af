// What a stage gets: the merged config and the services it may use, and
// nothing global. The stage table itself lives in stages/; the engine is
// handed it, so dependencies point one way (stages -> agent).
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "agent/fetch/fetcher.h"
#include "agent/flags.h"
#include "agent/log.h"
#include "agent/os/env.h"
#include "agent/os/runner.h"
#include "agent/state.h"
#include "schema/model.h"

namespace flint::agent {

struct StageContext {
  // fullConfig: system base configs merged with the (cached) user config.
  const schema::Config& config;
  // The command line: root, neednet, platform, stage, ...
  const Flags& flags;
  const Env& env;
  Runner& runner;
  // Fetches resources, configured from the config's ignition section.
  Fetcher& fetcher;
  Log& log;
  State& state;
};

// A stage: throws agent::Failure when it cannot do its job (agent::NeedNet
// from fetch-offline when the config needs networking).
using StageFn = std::function<void(StageContext&)>;

struct StageEntry {
  std::string_view name;
  StageFn run;
};

using StageTable = std::vector<StageEntry>;

}  // namespace flint::agent
