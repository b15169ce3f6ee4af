#include "agent/os/disk_layout.h"

namespace flint::agent {
namespace {

constexpr int64_t kFreshEntries = 128;
constexpr int64_t kEntryBytes = 128;

// Sectors taken by the entry array: 32 for 512-byte sectors, 4 for 4096.
int64_t EntrySectors(int64_t sector_size) {
  return (kFreshEntries * kEntryBytes + sector_size - 1) / sector_size;
}

}  // namespace

// Protective MBR and header, then the entries.
int64_t FreshGptFirstUsable(int64_t sector_size) { return 2 + EntrySectors(sector_size); }

// The backup entries and header at the end.
int64_t FreshGptLastUsable(int64_t sector_size, int64_t total_sectors) {
  return total_sectors - 2 - EntrySectors(sector_size);
}

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
