#include "agent/providers/config_drive.h"

namespace flint::agent {

// IBM Cloud VPC: a NoCloud drive (`cidata`, /user-data). As upstream, a
// drive that does not appear within 30 s means no config.
std::string FetchIbmcloudConfig(ProviderContext& ctx) {
  DriveResult result = ReadConfigDrive(ctx, {kNoCloud}, 30);
  if (!result.found) {
    ctx.log.Info("no drive labelled \"cidata\" appeared within 30s: continuing without a config");
    return "";
  }
  return result.data.value_or("");
}

}  // namespace flint::agent
