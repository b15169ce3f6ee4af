#include "agent/os/disk_layout.h"

namespace flint::agent {

const char* PartitionActionName(PartitionAction action) {
  switch (action) {
    case PartitionAction::kAbsent:
      return "absent";
    case PartitionAction::kKeep:
      return "keep";
    case PartitionAction::kCreate:
      return "create";
    case PartitionAction::kDelete:
      return "delete";
    case PartitionAction::kRecreate:
      return "recreate";
    case PartitionAction::kResize:
      return "resize";
  }
  return "unknown";
}

bool PartitionPlan::Changes() const {
  if (wipe_table || create_table) return true;
  for (const PlannedPartition& p : partitions) {
    if (p.action != PartitionAction::kAbsent && p.action != PartitionAction::kKeep) return true;
  }
  return false;
}

}  // namespace flint::agent
