#include "agent/error.h"
#include "agent/providers/config_drive.h"
#include "agent/providers/metadata.h"

namespace flint::agent {

// OpenStack (and brightbox): the config drive (`config-2` or `CONFIG-2`,
// /openstack/latest/user_data) when the machine has one, else the metadata
// service (/openstack/latest/user_data; 404 is an empty config). Upstream
// races the two; flint runs in the fetch stage, after udev has settled, so
// it looks for the drive first and then asks the service. Like upstream it
// always needs the fetch stage (networking) because of this split.
std::string FetchOpenstackConfig(ProviderContext& ctx) {
  if (ctx.offline) throw NeedNet("platform openstack may read its config from the metadata service");
  const std::vector<DriveLayout> drives = {kConfigDrive, {"CONFIG-2", kConfigDrive.files}};
  DriveResult result = ReadConfigDrive(ctx, drives, 0);
  if (result.found) return result.data.value_or("");
  ctx.log.Info("no config drive labelled " + DescribeLabels(drives) + ": asking the metadata service");
  MetadataRequest request{
      "openstack", MetadataUrl(ctx.env, "http://169.254.169.254", "/openstack/latest/user_data"), {}, true};
  return FetchMetadata(ctx, request).value_or("");
}

}  // namespace flint::agent
