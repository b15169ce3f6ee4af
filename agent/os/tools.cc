#include "agent/os/tools.h"

#ifndef FLINT_TOOL_DEFAULTS
#define FLINT_TOOL_DEFAULTS ""
#endif

namespace flint::agent {

const std::vector<ToolInfo>& ToolTable() {
  // Defaults follow upstream Ignition's internal/distro.
  static const std::vector<ToolInfo> kTable = {
      {Tool::kBlkid, "BLKID", "blkid"},
      {Tool::kChccwdev, "CHCCWDEV", "chccwdev"},
      {Tool::kCioIgnore, "CIO_IGNORE", "cio_ignore"},
      {Tool::kClevis, "CLEVIS", "clevis"},
      {Tool::kCryptsetup, "CRYPTSETUP", "cryptsetup"},
      {Tool::kGroupadd, "GROUPADD", "groupadd"},
      {Tool::kGroupdel, "GROUPDEL", "groupdel"},
      {Tool::kGroupmod, "GROUPMOD", "groupmod"},
      {Tool::kKargsHelper, "KARGS_HELPER", "ignition-kargs-helper"},
      {Tool::kMdadm, "MDADM", "mdadm"},
      {Tool::kMkfsBtrfs, "MKFS_BTRFS", "mkfs.btrfs"},
      {Tool::kMkfsExt4, "MKFS_EXT4", "mkfs.ext4"},
      {Tool::kMkfsVfat, "MKFS_VFAT", "mkfs.vfat"},
      {Tool::kMkfsXfs, "MKFS_XFS", "mkfs.xfs"},
      {Tool::kMkswap, "MKSWAP", "mkswap"},
      {Tool::kModprobe, "MODPROBE", "modprobe"},
      {Tool::kMount, "MOUNT", "mount"},
      {Tool::kSetfiles, "SETFILES", "setfiles"},
      {Tool::kSfdisk, "SFDISK", "sfdisk"},
      {Tool::kSgdisk, "SGDISK", "sgdisk"},
      {Tool::kSystemctl, "SYSTEMCTL", "systemctl"},
      {Tool::kUdevadm, "UDEVADM", "udevadm"},
      {Tool::kUmount, "UMOUNT", "umount"},
      {Tool::kUseradd, "USERADD", "useradd"},
      {Tool::kUserdel, "USERDEL", "userdel"},
      {Tool::kUsermod, "USERMOD", "usermod"},
      {Tool::kVmur, "VMUR", "vmur"},
      {Tool::kWipefs, "WIPEFS", "wipefs"},
  };
  return kTable;
}

std::optional<std::string> BuildDefaultFor(std::string_view defaults, std::string_view key) {
  while (!defaults.empty()) {
    size_t end = defaults.find(',');
    std::string_view item = defaults.substr(0, end);
    defaults = end == std::string_view::npos ? std::string_view() : defaults.substr(end + 1);
    size_t eq = item.find('=');
    if (eq != std::string_view::npos && item.substr(0, eq) == key && eq + 1 < item.size()) {
      return std::string(item.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::string ToolPath(Tool tool, const Env& env) {
  const ToolInfo& info = ToolTable().at(static_cast<size_t>(tool));
  std::string key(info.key);
  if (std::string v = env("FLINT_TOOL_" + key); !v.empty()) return v;
  if (auto v = BuildDefaultFor(FLINT_TOOL_DEFAULTS, key)) return *v;
  return std::string(info.default_path);
}

std::optional<Tool> ToolFromKey(std::string_view key) {
  for (const ToolInfo& info : ToolTable()) {
    if (info.key == key) return info.tool;
  }
  return std::nullopt;
}

}  // namespace flint::agent
