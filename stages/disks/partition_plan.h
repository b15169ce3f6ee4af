// Computes what to do to one disk's partition table so that it matches the
// config's disk entry, with upstream Ignition's semantics (partitions.go and
// docs/operator-notes.md "Partition Reuse Semantics"): match by number, MiB to
// sectors by the logical sector size, 0 start/size resolved as sgdisk does,
// and the exists x shouldExist x wipePartitionEntry decision matrix.
// Pure: no I/O. Refusals throw agent::Failure naming the device, the field
// path of the partition and what differs.
#pragma once

#include "agent/os/disk_layout.h"
#include "schema/model.h"
#include "schema/path.h"

namespace flint::stages {

struct PlanOptions {
  // Upstream matches existing partitions by number only, so a number-0 entry
  // always creates a new partition (coreos/ignition#1219). When set, a
  // number-0 entry with a label takes the number of the one existing
  // partition with that label, and is then matched like a numbered entry.
  bool match_number_zero_by_label = false;
};

// `disk_path` is the disk's JSON path ($.storage.disks.0); partition fields
// are reported as $.storage.disks.0.partitions.<index in the config>.
agent::PartitionPlan PlanPartitions(const schema::Disk& disk, const schema::Path& disk_path,
                                    const agent::DiskTable& table, const PlanOptions& options = {});

}  // namespace flint::stages
