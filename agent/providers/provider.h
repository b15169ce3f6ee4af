// Platforms: where a machine's user config comes from. Every platform name
// upstream Ignition knows is in the table, so `-platform` accepts exactly
// upstream's names; those whose provider is not written yet fail at fetch
// time with "platform X is not implemented".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/duration.h"
#include "agent/log.h"
#include "agent/os/env.h"

namespace flint::agent {

struct ProviderContext {
  Log& log;
  const Env& env;
  bool offline = false;  // fetch-offline: no networking
  Nanoseconds fetch_timeout = 0;
};

// Returns the raw config; empty when the platform provides none (upstream's
// ErrEmpty: flint continues with an empty config). Throws agent::Failure,
// or agent::NeedNet when offline and networking is required.
using FetchConfigFn = std::string (*)(ProviderContext& ctx);

struct Platform {
  std::string_view name;
  FetchConfigFn fetch = nullptr;  // nullptr: not implemented yet
};

// Every platform, sorted by name.
const std::vector<Platform>& Platforms();

// The platform called `name`, or nullptr when upstream has no such platform.
const Platform* FindPlatform(std::string_view name);

// Runs the platform's provider; throws agent::Failure "platform X is not
// implemented" for a known platform without one.
std::string FetchPlatformConfig(const Platform& platform, ProviderContext& ctx);

// The providers written so far.
std::string FetchFileConfig(ProviderContext& ctx);  // file: IGNITION_CONFIG_FILE or ./config.ign
std::string FetchNoConfig(ProviderContext& ctx);    // metal: the config comes from the kernel cmdline

}  // namespace flint::agent
