// Whether a disk or its partitions are in use: mounted (mountinfo), active
// swap (/proc/swaps) or held by another block device such as md or dm
// (/sys/class/block/<name>/holders). The roots are parameters so tests can
// use a fake /sys and /proc.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "agent/os/disk_layout.h"

namespace flint::agent {

struct BlockRoots {
  std::filesystem::path sysfs = "/sys";
  std::filesystem::path mountinfo = "/proc/self/mountinfo";
  std::filesystem::path swaps = "/proc/swaps";
  std::filesystem::path dev = "/dev";
};

// One use of the disk (partition 0) or of one of its partitions.
struct BlockUser {
  std::string name;       // kernel name: "vda", "vda4"
  int64_t partition = 0;  // 0 for the disk itself
  std::string why;        // "mounted at /sysroot", "held by md127", "active swap"
  bool operator==(const BlockUser&) const = default;
};

// The kernel name of the block device node `device` ("/dev/vda" -> "vda"),
// through /sys/dev/block/<major>:<minor>. Throws when it is not a block device.
std::string KernelBlockName(const std::string& device, const BlockRoots& roots = {});

// Every use of disk `name` and of its partitions, disk first, then by number.
std::vector<BlockUser> FindBlockUsers(const std::string& name, const BlockRoots& roots = {});

// Throws "refusing to ..." when the plan would touch something in use: the
// disk itself, any partition when the table is replaced, or a partition the
// plan deletes, recreates, resizes or creates. Pure.
void CheckNotInUse(const PartitionPlan& plan, const std::vector<BlockUser>& users, const std::string& device);

}  // namespace flint::agent
