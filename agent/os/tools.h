// The one table of external programs flint runs. Each entry's path comes
// from, in order: the environment (FLINT_TOOL_<KEY>=path), the build
// (-DFLINT_TOOL_DEFAULTS="KEY=path,KEY=path" in CMake), the table's default
// (a bare name, looked up in PATH).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/os/env.h"

namespace flint::agent {

enum class Tool {
  kBlkid,
  kChccwdev,
  kCioIgnore,
  kClevis,
  kCryptsetup,
  kGroupadd,
  kGroupdel,
  kGroupmod,
  kKargsHelper,
  kMdadm,
  kMkfsBtrfs,
  kMkfsExt4,
  kMkfsVfat,
  kMkfsXfs,
  kMkswap,
  kModprobe,
  kMount,
  kSetfiles,
  kSfdisk,
  kSgdisk,
  kSystemctl,
  kUdevadm,
  kUmount,
  kUseradd,
  kUserdel,
  kUsermod,
  kVmur,
  kWipefs,
};

struct ToolInfo {
  Tool tool;
  std::string_view key;           // FLINT_TOOL_<key>
  std::string_view default_path;  // upstream's default command
};

// Every entry, in enum order.
const std::vector<ToolInfo>& ToolTable();

// The program to run for `tool`.
std::string ToolPath(Tool tool, const Env& env);

// The entry whose key is `key` ("MKFS_EXT4"), if any.
std::optional<Tool> ToolFromKey(std::string_view key);

// Parses "KEY=path,KEY=path" (the build-time overrides); unknown keys and
// malformed items are ignored. Pure.
std::optional<std::string> BuildDefaultFor(std::string_view defaults, std::string_view key);

}  // namespace flint::agent
