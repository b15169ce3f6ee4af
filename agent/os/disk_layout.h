// Plain data shared by the partition planner (stages/disks, pure) and the one
// code that reads and writes partition tables (agent/os/partition_table):
// a table as read from a device, and the plan of changes to apply to it.
// All positions and sizes are in logical sectors of the device.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace flint::agent {

// One entry of an existing partition table.
struct TablePartition {
  int64_t number = 0;     // 1-based, as in /dev/vda<number>
  int64_t start = 0;      // first sector
  int64_t size = 0;       // in sectors
  std::string type_guid;  // GPT type GUID as stored (upper case from libfdisk)
  std::string guid;       // unique partition GUID
  std::string label;      // GPT partition name
  bool operator==(const TablePartition&) const = default;
};

// A device's partition table, as read. When there is no table, the usable
// range and the entry count are those of a fresh GPT on that device.
struct DiskTable {
  int64_t sector_size = 512;               // logical sector size in bytes
  int64_t total_sectors = 0;               // size of the device in logical sectors
  int64_t grain = 2048;                    // default alignment: 1 MiB in sectors
  std::string label_type;                  // "gpt", "dos", ...; empty when there is no table
  int64_t first_usable = 0;                // first sector a partition may use
  int64_t last_usable = 0;                 // last sector a partition may use
  int64_t max_partitions = 128;            // number of entries in the table
  std::vector<TablePartition> partitions;  // ordered by number
  bool has_table() const { return !label_type.empty(); }
  bool operator==(const DiskTable&) const = default;
};

// What happens to one partition the config names.
enum class PartitionAction {
  kAbsent,    // does not exist and should not: nothing to do
  kKeep,      // exists and matches: nothing to do
  kCreate,    // does not exist: create it
  kDelete,    // exists, should not, wipePartitionEntry: delete it
  kRecreate,  // exists, does not match, wipePartitionEntry: delete and create it
  kResize,    // exists, only the size differs, resize: change its size in place
};

// "keep", "create", ...: for logs and test messages.
const char* PartitionActionName(PartitionAction action);

struct PlannedPartition {
  PartitionAction action = PartitionAction::kAbsent;
  std::string field;      // JSON path of the config entry: $.storage.disks.0.partitions.1
  int64_t number = 0;     // resolved (a config number 0 becomes the next free one)
  int64_t start = 0;      // resolved first sector (kKeep/kCreate/kRecreate/kResize)
  int64_t size = 0;       // resolved size in sectors
  std::string type_guid;  // for kCreate/kRecreate: the type to set (never empty)
  std::string guid;       // for kCreate/kRecreate: the GUID to set; empty: random
  std::string label;      // for kCreate/kRecreate: the name to set (may be empty)
  bool operator==(const PlannedPartition&) const = default;
};

// Everything to do to one disk, applied in one write: a fresh GPT first when
// `create_table`, then every deletion (kDelete, kRecreate), every resize, and
// every creation (kCreate, kRecreate) in list order.
struct PartitionPlan {
  bool wipe_table = false;    // the config asked for wipeTable
  bool create_table = false;  // write a fresh, empty GPT before the partition changes
  int64_t first_usable = 0;   // usable range of the table the changes apply to
  int64_t last_usable = 0;
  std::vector<PlannedPartition> partitions;  // in processing order (number 0 last)

  // Whether applying the plan writes anything at all.
  bool Changes() const;
  bool operator==(const PartitionPlan&) const = default;
};

// The usable range of a fresh GPT with 128 entries as sgdisk lays it out, and
// as flint writes one: first 34 and last total-34 for 512-byte sectors.
int64_t FreshGptFirstUsable(int64_t sector_size);
int64_t FreshGptLastUsable(int64_t sector_size, int64_t total_sectors);

// What is wrong with the partitions of `table`: one outside the usable
// sectors, or two overlapping; "" when nothing is.
std::string LayoutProblem(const DiskTable& table);

// GPT "Linux filesystem", the type sgdisk (and so upstream Ignition) gives a
// partition whose config has no typeGuid.
inline constexpr const char* kLinuxFilesystemType = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

}  // namespace flint::agent
