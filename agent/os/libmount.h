// Mounting and unmounting through libmount (the only code that includes its
// header). Failures throw agent::Failure naming the device, the mountpoint
// and libmount's explanation.
#pragma once

#include <string>

namespace flint::agent {

struct MountRequest {
  std::string source;   // device
  std::string target;   // existing directory
  std::string fstype;   // empty: probe it
  std::string options;  // "ro,noatime" or empty
};

// mount(8) semantics without fstab: source + target + type + options.
void Mount(const MountRequest& request);

// umount(8) of `target`.
void Unmount(const std::string& target);

// True when something is mounted exactly at `target` (per
// /proc/self/mountinfo).
bool IsMountPoint(const std::string& target);

}  // namespace flint::agent
