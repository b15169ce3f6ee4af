#include "agent/providers/config_drive.h"

namespace flint::agent {

// KubeVirt attaches a cloud-init disk: a config drive (`config-2`,
// /openstack/latest/user_data) or NoCloud (`cidata`, /user-data), whichever
// the VM has. Upstream waits forever for it; flint gives up after
// flint.config_drive_timeout (default 300 s) with a clear error, so a
// NodePool VM without its disk fails in bounded time. A drive without user
// data is an empty config.
std::string FetchKubevirtConfig(ProviderContext& ctx) {
  const std::vector<DriveLayout> drives = {kConfigDrive, kNoCloud};
  int wait = ConfigDriveWaitSeconds(ctx);
  DriveResult result = ReadConfigDrive(ctx, drives, wait);
  if (!result.found) ThrowNoConfigDrive(ctx, "kubevirt", drives, wait);
  if (!result.data) ctx.log.Info("the config drive '" + result.label + "' has no user data");
  return result.data.value_or("");
}

}  // namespace flint::agent
