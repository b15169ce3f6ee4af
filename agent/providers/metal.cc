#include "agent/providers/provider.h"

namespace flint::agent {

// Bare metal has no platform config: it comes from the kernel command line
// (ignition.config.url, ignition.config.device) or the system user.ign,
// which the engine tries first. Upstream's metal provider is a no-op too.
std::string FetchMetalConfig(ProviderContext& ctx) {
  ctx.log.Info("platform metal provides no config (use ignition.config.url on the kernel command line)");
  return "";
}

}  // namespace flint::agent
