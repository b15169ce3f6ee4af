#include "agent/providers/config_drive.h"

namespace flint::agent {

// Proxmox VE: a NoCloud drive (`cidata`) whose /user-data, else
// /vendor-data, holds the config; files starting with "#cloud-config\n"
// (cloud-init's, not ours) and empty ones are skipped. As upstream, a drive
// that does not appear within 30 s means no config.
std::string FetchProxmoxveConfig(ProviderContext& ctx) {
  const DriveLayout drive{"cidata", {"user-data", "vendor-data"}};
  DriveResult result = ReadConfigDrive(ctx, {drive}, 30, [](std::string_view contents) {
    return !contents.empty() && contents.rfind("#cloud-config\n", 0) != 0;
  });
  if (!result.found) {
    ctx.log.Info("no drive labelled \"cidata\" appeared within 30s: continuing without a config");
    return "";
  }
  return result.data.value_or("");
}

}  // namespace flint::agent
