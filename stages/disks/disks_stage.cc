#include "stages/disks/disks_stage.h"

#include "agent/os/device_wait.h"
#include "agent/os/partition_table.h"
#include "schema/path.h"
#include "stages/disks/device_wait_options.h"
#include "stages/disks/filesystems.h"
#include "stages/disks/luks.h"
#include "stages/disks/partition_plan.h"
#include "stages/disks/raid.h"

namespace flint::stages {
namespace {

void LogPlan(agent::Log& log, const std::string& device, const agent::PartitionPlan& plan) {
  if (plan.create_table) log.Info("'" + device + "': writing a new GPT");
  for (const agent::PlannedPartition& p : plan.partitions) {
    log.Info("'" + device + "' partition " + std::to_string(p.number) + " (" + p.field +
             "): " + agent::PartitionActionName(p.action) + ", start " + std::to_string(p.start) + " size " +
             std::to_string(p.size) + " sectors");
  }
}

}  // namespace

void PartitionDisks(agent::StageContext& ctx) {
  agent::DeviceWaitOptions wait = StageDeviceWait(ctx);
  const std::vector<schema::Disk>& disks = ctx.config.storage.disks;
  bool changed = false;
  for (size_t i = 0; i < disks.size(); ++i) {
    const schema::Disk& disk = disks[i];
    schema::Path at = schema::Path() / "storage" / "disks" / i;
    agent::WaitForDevice(ctx.runner, ctx.env, disk.device, (at / "device").String(), wait);
    if (disk.partitions.empty() && !disk.wipe_table.value_or(false)) continue;
    ctx.log.Step("partitioning '" + disk.device + "'", [&] {
      agent::DiskTable table = agent::ReadPartitionTable(disk.device);
      agent::PartitionPlan plan = PlanPartitions(disk, at, table, {.match_number_zero_by_label = true});
      LogPlan(ctx.log, disk.device, plan);
      agent::ApplyPartitionPlan(disk.device, plan);
      changed = changed || plan.Changes();
    });
  }
  // Once for every disk: later steps then resolve links like /dev/disk/by-partlabel/x to the new partitions.
  if (changed) agent::SettleUdev(ctx.runner, ctx.env, wait.timeout);
}

void RunDisks(agent::StageContext& ctx) {
  CheckLuksSupported(ctx.config);
  agent::DeviceWaitFromEnv(ctx.env);  // a bad FLINT_DEVICE_TIMEOUT fails before any change
  PartitionDisks(ctx);
  CreateRaids(ctx);
  CreateLuksVolumes(ctx);
  CreateFilesystems(ctx);
}

}  // namespace flint::stages
