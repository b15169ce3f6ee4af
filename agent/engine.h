// Runs one stage, as upstream's engine does: load the state, read the system
// base configs, acquire the user config (fetch stages: from the kernel
// command line, the system user.ign or the platform, rendered and written to
// the config cache; other stages: from the cache), merge, run the stage,
// save the state. Failures are logged once here and become exit codes.
#pragma once

#include "agent/fetch/fetcher.h"
#include "agent/flags.h"
#include "agent/log.h"
#include "agent/os/env.h"
#include "agent/os/runner.h"
#include "agent/stage_context.h"
#include "agent/state.h"
#include "schema/model.h"

namespace flint::agent {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitSetup = 3;

struct EngineDeps {
  const StageTable& stages;
  Log& log;
  Runner& runner;
  const Env& env;
};

// Runs flags.stage (a name from `deps.stages`) and returns the exit code.
int RunStage(const Flags& flags, const EngineDeps& deps);

// The user config of a fetch stage: from the kernel command line, the
// system user.ign or the platform, rendered (references resolved, CAs
// inlined) and validated. `source` is upstream's provider key ("cmdline",
// "system" or the platform name); `provided` is false when the source had
// no config (an empty config is used).
struct AcquiredConfig {
  schema::Config config;
  std::string source;
  bool provided = false;
};
// Records the provider's config and every referenced one in `state`.
AcquiredConfig AcquireProviderConfig(const Flags& flags, const EngineDeps& deps, Fetcher& fetcher, State& state);

// Reads and parses the config cache; throws agent::Failure.
schema::Config ReadConfigCache(const Flags& flags, Log& log);

}  // namespace flint::agent
