// The disks stage: partitions (libfdisk, one write per disk), then RAID
// arrays (mdadm), then LUKS volumes (cryptsetup), then filesystems (mkfs),
// as upstream Ignition orders them. Every device a step uses is waited for
// first (udev settled, node polled, FLINT_DEVICE_TIMEOUT seconds, default
// 90). CEX is refused before anything is changed.
#pragma once

#include "agent/stage_context.h"

namespace flint::stages {

void RunDisks(agent::StageContext& ctx);

// Partitions every disk of the config: waits for it, reads its table,
// plans (a number-0 partition with a label matches the existing partition of
// that label) and applies the plan; refuses disks in use.
void PartitionDisks(agent::StageContext& ctx);

}  // namespace flint::stages
