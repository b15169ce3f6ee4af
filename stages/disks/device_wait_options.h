// The device waits of the disks stage: FLINT_DEVICE_TIMEOUT from the stage's
// environment, progress lines to the stage's log while a device is missing.
#pragma once

#include "agent/os/device_wait.h"
#include "agent/stage_context.h"

namespace flint::stages {

inline agent::DeviceWaitOptions StageDeviceWait(agent::StageContext& ctx) {
  agent::DeviceWaitOptions options = agent::DeviceWaitFromEnv(ctx.env);
  options.progress = [&log = ctx.log](const std::string& line) { log.Info(line); };
  return options;
}

}  // namespace flint::stages
