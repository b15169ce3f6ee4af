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

std::string LayoutProblem(const DiskTable& table) {
  auto span = [](const TablePartition& p) {
    return "partition " + std::to_string(p.number) + " (sectors " + std::to_string(p.start) + "-" +
           std::to_string(p.start + p.size - 1) + ")";
  };
  const std::vector<TablePartition>& parts = table.partitions;
  for (size_t i = 0; i < parts.size(); ++i) {
    const TablePartition& p = parts[i];
    if (p.size < 1 || p.start < table.first_usable || p.start + p.size - 1 > table.last_usable) {
      return span(p) + " is outside the usable sectors " + std::to_string(table.first_usable) + "-" +
             std::to_string(table.last_usable);
    }
    for (size_t j = 0; j < i; ++j) {
      const TablePartition& q = parts[j];
      if (p.start <= q.start + q.size - 1 && q.start <= p.start + p.size - 1) {
        return span(q) + " and " + span(p) + " overlap";
      }
    }
  }
  return "";
}

bool PartitionPlan::Changes() const {
  if (wipe_table || create_table) return true;
  for (const PlannedPartition& p : partitions) {
    if (p.action != PartitionAction::kAbsent && p.action != PartitionAction::kKeep) return true;
  }
  return false;
}

}  // namespace flint::agent
