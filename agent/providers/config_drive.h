// Config drives: filesystems found by label (/dev/disk/by-label, overridable
// with FLINT_DISK_BY_LABEL_DIR) that carry user data, mounted read-only
// while it is read. Shared by kubevirt, openstack, ibmcloud, proxmoxve,
// nutanix and powervs, whose rules differ only in labels, files and what a
// missing drive means.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/providers/provider.h"

namespace flint::agent {

struct DriveLayout {
  std::string label;               // "config-2", "cidata"
  std::vector<std::string> files;  // tried in order, relative to the drive's root
};

inline const DriveLayout kConfigDrive{"config-2", {"openstack/latest/user_data"}};
inline const DriveLayout kNoCloud{"cidata", {"user-data"}};

struct DriveResult {
  bool found = false;               // a drive appeared
  std::string label;                // which one
  std::optional<std::string> data;  // the first accepted file; nullopt: none
};

// Whether a file's contents count as user data (proxmoxve skips cloud-config
// and empty files); nullptr accepts any file that exists.
using AcceptFn = std::function<bool(std::string_view contents)>;

// Polls once a second, for at most `wait_seconds`, until one of `drives`
// appears (the first in the list wins when several are there), then mounts
// it read-only (ctx.runner) and reads its files. Logs what it waits for every
// 10 s. `found` is false when none appeared in time.
DriveResult ReadConfigDrive(ProviderContext& ctx, const std::vector<DriveLayout>& drives, int wait_seconds,
                            const AcceptFn& accept = nullptr);

// "'config-2' or 'cidata'". Pure.
std::string DescribeLabels(const std::vector<DriveLayout>& drives);

// The wait of the config-drive platforms without one of their own:
// flint.config_drive_timeout on the kernel command line, default 300 s.
int ConfigDriveWaitSeconds(ProviderContext& ctx);

// Throws the "no config drive appeared" failure for `platform`, naming the
// labels, the directory, the wait and how to change it.
[[noreturn]] void ThrowNoConfigDrive(ProviderContext& ctx, std::string_view platform,
                                     const std::vector<DriveLayout>& drives, int wait_seconds);

}  // namespace flint::agent
