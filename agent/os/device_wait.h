// Waiting for the block devices a config names: udev is settled, then the
// node is polled until it exists, with a bound (FLINT_DEVICE_TIMEOUT seconds,
// default 90). A device that never appears is an error naming it and the
// field that refers to it, never a hang.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "agent/os/env.h"
#include "agent/os/runner.h"

namespace flint::agent {

struct DeviceWaitOptions {
  std::chrono::milliseconds timeout{90000};
  std::chrono::milliseconds poll{100};
  // Called every `progress_every` while a device is missing, with a line
  // such as "waiting for device '/dev/vdb' (at $...): 5 s of 90 s".
  std::function<void(const std::string&)> progress;
  std::chrono::milliseconds progress_every{5000};
};

// FLINT_DEVICE_TIMEOUT (whole seconds) or the default of 90 s; throws
// agent::Failure when the variable is set but not a non-negative number.
DeviceWaitOptions DeviceWaitFromEnv(const Env& env);

// Runs `udevadm settle` for at most `timeout`; a failure to settle (no udevadm
// in a minimal initramfs) is not fatal: waiting for the nodes decides.
void SettleUdev(Runner& runner, const Env& env, std::chrono::milliseconds timeout);

// Waits until `device` exists and is a block device, settling udev first when
// it does not (a step that changed devices settles once itself, so that links
// such as /dev/disk/by-partlabel/x no longer name a replaced partition). Returns its
// canonical path (symlinks such as /dev/disk/by-partlabel/x resolved once).
// Throws agent::Failure naming `device` and `field` after the timeout.
std::string WaitForDevice(Runner& runner, const Env& env, const std::string& device, const std::string& field,
                          const DeviceWaitOptions& options);

}  // namespace flint::agent
