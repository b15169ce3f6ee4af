// Platforms: where a machine's user config comes from. Every platform name
// upstream Ignition knows is in the table, so `-platform` accepts exactly
// upstream's names; those that need hardware this build cannot talk to fail
// at fetch time with "platform X is not supported by this build".
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/duration.h"
#include "agent/fetch/fetcher.h"
#include "agent/log.h"
#include "agent/os/env.h"
#include "agent/os/runner.h"

namespace flint::agent {

struct ProviderContext {
  Log& log;
  const Env& env;
  bool offline = false;  // fetch-offline: no networking
  // Metadata services (http), bounded by -fetch-timeout (see
  // Fetcher::BoundByFetchTimeout); nullptr where a provider must not need it.
  Fetcher* fetcher = nullptr;
  // mount, umount, modprobe.
  Runner* runner = nullptr;
  // Waits one poll interval (a second) while a device is awaited; tests
  // replace it. Empty: really sleep.
  std::function<void()> sleep = {};
};

// Returns the raw config; empty when the platform provides none (upstream's
// ErrEmpty: flint continues with an empty config). Throws agent::Failure,
// or agent::NeedNet when offline and networking is required.
using FetchConfigFn = std::string (*)(ProviderContext& ctx);

struct Platform {
  std::string_view name;
  FetchConfigFn fetch = nullptr;  // nullptr: not supported by this build
};

// Every platform, sorted by name.
const std::vector<Platform>& Platforms();

// The platform called `name`, or nullptr when upstream has no such platform.
const Platform* FindPlatform(std::string_view name);

// Runs the platform's provider; throws agent::Failure "platform X is not
// supported by this build" for a known platform without one.
std::string FetchPlatformConfig(const Platform& platform, ProviderContext& ctx);

// One second of waiting, through ctx.sleep when set.
void SleepOneSecond(ProviderContext& ctx);

// The providers, one file each (agent/providers/<name>.cc).
std::string FetchFileConfig(ProviderContext& ctx);       // IGNITION_CONFIG_FILE or ./config.ign
std::string FetchMetalConfig(ProviderContext& ctx);      // none: the kernel command line names it
std::string FetchQemuConfig(ProviderContext& ctx);       // fw_cfg opt/com.coreos/config
std::string FetchKubevirtConfig(ProviderContext& ctx);   // config-2 or cidata drive
std::string FetchOpenstackConfig(ProviderContext& ctx);  // config drive, then metadata service
std::string FetchIbmcloudConfig(ProviderContext& ctx);   // cidata drive
std::string FetchProxmoxveConfig(ProviderContext& ctx);  // cidata drive, user-data or vendor-data
std::string FetchNutanixConfig(ProviderContext& ctx);    // config-2 drive
std::string FetchPowervsConfig(ProviderContext& ctx);    // config-2 drive
std::string FetchAwsConfig(ProviderContext& ctx);        // IMDSv2
std::string FetchGcpConfig(ProviderContext& ctx);
std::string FetchAzureConfig(ProviderContext& ctx);  // IMDS userData, base64
std::string FetchDigitaloceanConfig(ProviderContext& ctx);
std::string FetchExoscaleConfig(ProviderContext& ctx);
std::string FetchHetznerConfig(ProviderContext& ctx);
std::string FetchUpcloudConfig(ProviderContext& ctx);
std::string FetchVultrConfig(ProviderContext& ctx);
std::string FetchOraclecloudConfig(ProviderContext& ctx);  // base64
std::string FetchAliyunConfig(ProviderContext& ctx);
std::string FetchAkamaiConfig(ProviderContext& ctx);    // token PUT, base64
std::string FetchScalewayConfig(ProviderContext& ctx);  // privileged source port

}  // namespace flint::agent
