// The only code that includes libfdisk: reads the partition table of a block
// device or image file, and applies a PartitionPlan to it in one
// fdisk_write_disklabel, then makes the kernel see the change. Failures throw
// agent::Failure naming the libfdisk call, the device, the field and the cause;
// nothing is written when any step before the write fails.
#pragma once

#include <string>

#include "agent/os/block_usage.h"
#include "agent/os/disk_layout.h"
#include "agent/os/kernel_partitions.h"

namespace flint::agent {

struct TableAccess {
  // Logical sector size to assume; 0 is the device's own (512 for image files).
  unsigned long sector_size = 0;
};

// The table on `device`; an empty DiskTable (no label) when there is none.
DiskTable ReadPartitionTable(const std::string& device, const TableAccess& access = {});

struct ApplyOptions {
  TableAccess access;
  BlockRoots roots;        // where to look for mounts, holders, sysfs and /dev
  KernelSyncOptions sync;  // how long to wait for the kernel's view
};

// Writes `plan` to `device`: a fresh GPT first when plan.create_table, then
// deletions, resizes and creations, checked against the plan in memory and
// written once. Nothing happens when the plan has no changes. On a block
// device it first refuses ("refusing to ...") when the disk, or a partition
// the plan changes, is in use, and afterwards has the kernel re-read the
// table and waits until /sys and /dev show every changed partition exactly.
void ApplyPartitionPlan(const std::string& device, const PartitionPlan& plan,
                        const ApplyOptions& options = {});

}  // namespace flint::agent
