#include "agent/os/files.h"
#include "agent/providers/provider.h"

namespace flint::agent {

std::string FetchFileConfig(ProviderContext& ctx) {
  std::string path = ctx.env("IGNITION_CONFIG_FILE");
  if (path.empty()) {
    path = "config.ign";
    ctx.log.Info("IGNITION_CONFIG_FILE is not set: using the default file name");
  }
  ctx.log.Info("using the config file '" + path + "'");
  return ReadFile(path, "reading the config file");
}

}  // namespace flint::agent
