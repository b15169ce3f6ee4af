#include "agent/providers/config_drive.h"

namespace flint::agent {

// Nutanix AHV always attaches a config drive (`config-2`,
// /openstack/latest/user_data), with or without user data. Upstream waits
// forever for it; flint gives up after flint.config_drive_timeout.
std::string FetchNutanixConfig(ProviderContext& ctx) {
  const std::vector<DriveLayout> drives = {kConfigDrive};
  int wait = ConfigDriveWaitSeconds(ctx);
  DriveResult result = ReadConfigDrive(ctx, drives, wait);
  if (!result.found) ThrowNoConfigDrive(ctx, "nutanix", drives, wait);
  return result.data.value_or("");
}

}  // namespace flint::agent
