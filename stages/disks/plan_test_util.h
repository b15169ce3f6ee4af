// Test helpers for the partition planner: disks laid out the way upstream
// Ignition's black-box tests build them (tests/types: partitions packed from
// sector 34, each start aligned, "blank" gaps, the image just big enough),
// and a plan applied to a table in memory.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "agent/os/disk_layout.h"
#include "schema/model.h"
#include "stages/disks/partition_plan.h"
#include "stages/disks/upstream_guids.h"

namespace flint::stages::testing {

// Number 0 is a "blank" gap of `length` sectors.
struct Part {
  Part(int64_t n, int64_t len, std::string l = "", std::string t = "", std::string g = "")
      : number(n), length(len), label(std::move(l)), type(std::move(t)), guid(std::move(g)) {}
  int64_t number;
  int64_t length;
  std::string label;
  std::string type;
  std::string guid;
};

struct Layout {
  int64_t alignment = 2048;
  std::vector<Part> parts;
};

inline int64_t AlignUp(int64_t n, int64_t a) { return (n + a - 1) / a * a; }

// upstream's CalculateImageSize, in sectors.
inline int64_t ImageSectors(const Layout& d) {
  int64_t size = AlignUp(63, d.alignment);
  for (const Part& p : d.parts) size += AlignUp(p.length, d.alignment);
  return size + 33;
}

// upstream's GetBaseDisk: EFI-SYSTEM, OEM and ROOT, 128 MiB each, 2 MiB aligned.
inline Layout BaseDisk() {
  return {4096,
          {{1, 262144, "EFI-SYSTEM", kEfiType, "11111111-1111-1111-1111-111111111111"},
           {6, 262144, "OEM", agent::kLinuxFilesystemType, "66666666-6666-6666-6666-666666666666"},
           {9, 262144, "ROOT", kResizeType, "99999999-9999-9999-9999-999999999999"}}};
}

// The GPT of `d` on a disk of `total` 512-byte sectors (sgdisk geometry).
inline agent::DiskTable TableOf(const Layout& d, int64_t total) {
  agent::DiskTable t;
  t.total_sectors = total;
  t.label_type = "gpt";
  t.first_usable = 34;
  t.last_usable = total - 34;
  int64_t offset = 34;
  for (const Part& p : d.parts) {
    if (p.length == 0) continue;
    offset = AlignUp(offset, d.alignment);
    if (p.number > 0) t.partitions.push_back({p.number, offset, p.length, p.type, p.guid, p.label});
    offset += p.length;
  }
  std::sort(t.partitions.begin(), t.partitions.end(),
            [](const auto& a, const auto& b) { return a.number < b.number; });
  return t;
}

// The partitions after applying `plan` as the applier does: deletions, then
// resizes, then creations.
inline std::vector<agent::TablePartition> Apply(const agent::DiskTable& table,
                                                const agent::PartitionPlan& plan) {
  using agent::PartitionAction;
  std::vector<agent::TablePartition> parts;
  if (!plan.create_table) parts = table.partitions;
  auto erase = [&parts](int64_t n) {
    parts.erase(std::remove_if(parts.begin(), parts.end(), [n](const auto& p) { return p.number == n; }),
                parts.end());
  };
  for (const auto& p : plan.partitions) {
    if (p.action == PartitionAction::kDelete || p.action == PartitionAction::kRecreate) erase(p.number);
  }
  for (const auto& p : plan.partitions) {
    if (p.action != PartitionAction::kResize) continue;
    for (auto& t : parts) {
      if (t.number == p.number) t.size = p.size;
    }
  }
  for (const auto& p : plan.partitions) {
    if (p.action == PartitionAction::kCreate || p.action == PartitionAction::kRecreate) {
      parts.push_back({p.number, p.start, p.size, p.type_guid, p.guid, p.label});
    }
  }
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
  return parts;
}

// "create 1 2048+65536" per partition, for readable comparisons.
inline std::vector<std::string> Steps(const agent::PartitionPlan& plan) {
  std::vector<std::string> steps;
  for (const auto& p : plan.partitions) {
    std::string s = std::string(agent::PartitionActionName(p.action)) + " " + std::to_string(p.number);
    if (p.action != agent::PartitionAction::kAbsent)
      s += " " + std::to_string(p.start) + "+" + std::to_string(p.size);
    steps.push_back(s);
  }
  return steps;
}

// "1 2048+65536 ROOT" per partition of a table.
inline std::vector<std::string> Summary(const std::vector<agent::TablePartition>& parts) {
  std::vector<std::string> out;
  for (const auto& p : parts) {
    out.push_back(std::to_string(p.number) + " " + std::to_string(p.start) + "+" + std::to_string(p.size) +
                  " " + p.label);
  }
  return out;
}

// A config partition, built fluently: P(1).Label("data").SizeMiB(32).Wipe().
class P {
 public:
  explicit P(int64_t number = 0) { p_.number = number; }
  P& Label(std::string v) {
    p_.label = std::move(v);
    return *this;
  }
  P& SizeMiB(int64_t v) {
    p_.size_mib = v;
    return *this;
  }
  P& StartMiB(int64_t v) {
    p_.start_mib = v;
    return *this;
  }
  P& Type(std::string v) {
    p_.type_guid = std::move(v);
    return *this;
  }
  P& Guid(std::string v) {
    p_.guid = std::move(v);
    return *this;
  }
  P& Wipe(bool v = true) {
    p_.wipe_partition_entry = v;
    return *this;
  }
  P& ShouldExist(bool v) {
    p_.should_exist = v;
    return *this;
  }
  P& Resize(bool v = true) {
    p_.resize = v;
    return *this;
  }
  operator schema::Partition() const { return p_; }  // NOLINT: implicit by design

 private:
  schema::Partition p_;
};

inline schema::Disk DiskOf(std::vector<schema::Partition> parts, bool wipe_table = false) {
  schema::Disk d;
  d.device = "/dev/vdb";
  if (wipe_table) d.wipe_table = true;
  d.partitions = std::move(parts);
  return d;
}

inline agent::PartitionPlan Plan(const schema::Disk& disk, const agent::DiskTable& table,
                                 const PlanOptions& options = {}) {
  return PlanPartitions(disk, schema::Path() / "storage" / "disks" / 0, table, options);
}

}  // namespace flint::stages::testing
