#include "stages/disks/partition_plan.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/error.h"
#include "stages/disks/gpt_allocator.h"

namespace flint::stages {
namespace {

using agent::DiskTable;
using agent::Failure;
using agent::PartitionAction;
using agent::PartitionPlan;
using agent::PlannedPartition;
using agent::TablePartition;

constexpr int64_t kMiB = 1024 * 1024;
constexpr int64_t kFreshEntries = 128;

// One config partition on its way to a decision. `start`/`size` are in
// sectors; unset is "keep the existing value" (or "default" when creating).
struct Entry {
  const schema::Partition* cfg = nullptr;
  std::string field;
  int64_t number = 0;
  std::optional<int64_t> start;
  std::optional<int64_t> size;
  bool should_exist = true;
  bool wipe = false;
  bool resize = false;
};

bool IsTrue(const schema::OptBool& b) { return b.has_value() && *b; }
bool NotEmpty(const schema::OptString& s) { return s.has_value() && !s->empty(); }

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool EqualFold(const std::string& a, const std::string& b) { return Upper(a) == Upper(b); }

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string Sectors(int64_t n) { return std::to_string(n) + " sectors"; }

class Planner {
 public:
  Planner(const schema::Disk& disk, const schema::Path& disk_path, const DiskTable& table,
          const PlanOptions& options)
      : disk_(disk), disk_path_(disk_path), table_(table), options_(options) {}

  PartitionPlan Run();

 private:
  Failure Fail(const std::string& field, const std::string& cause) const {
    Failure f("partitioning");
    f.Device(disk_.device).Field(field).Cause(cause);
    return f;
  }
  void SetUpTable();
  std::vector<Entry> MakeEntries() const;
  std::optional<int64_t> MibToSectors(const Entry& e, const schema::OptInt& mib, const char* name) const;
  void MatchByLabel(Entry& e, std::map<int64_t, std::string>& claimed) const;
  void NumberNewEntries(std::vector<Entry>& entries) const;
  void ResolveZeros(std::vector<Entry>& entries) const;
  PlannedPartition Decide(const Entry& e) const;
  std::vector<std::string> Differences(const Entry& e, const TablePartition& t, bool with_size) const;
  PlannedPartition Created(const Entry& e, PartitionAction action) const;
  void CheckApplicable(const PartitionPlan& plan) const;
  const TablePartition* Existing(int64_t number) const;

  const schema::Disk& disk_;
  const schema::Path& disk_path_;
  const DiskTable& table_;
  const PlanOptions& options_;
  bool fresh_ = false;  // the changes apply to a new, empty GPT
  int64_t first_usable_ = 0;
  int64_t last_usable_ = 0;
  int64_t max_partitions_ = kFreshEntries;
  int64_t alignment_ = 1;
};

const TablePartition* Planner::Existing(int64_t number) const {
  if (fresh_ || number <= 0) return nullptr;
  for (const TablePartition& t : table_.partitions) {
    if (t.number == number) return &t;
  }
  return nullptr;
}

// The table the changes apply to: the one on the disk, or a fresh GPT when
// the disk has none or wipeTable is set. Non-GPT tables are not converted.
void Planner::SetUpTable() {
  fresh_ = IsTrue(disk_.wipe_table) || !table_.has_table();
  if (!fresh_ && table_.label_type != "gpt") {
    throw Failure("refusing to partition")
        .Device(disk_.device)
        .Field(disk_path_.String())
        .Cause("it has a " + table_.label_type +
               " partition table, and flint writes GPT only; set wipeTable to replace it");
  }
  std::vector<int64_t> starts;
  if (fresh_) {
    first_usable_ = agent::FreshGptFirstUsable(table_.sector_size);
    last_usable_ = agent::FreshGptLastUsable(table_.sector_size, table_.total_sectors);
  } else {
    first_usable_ = table_.first_usable;
    last_usable_ = table_.last_usable;
    max_partitions_ = table_.max_partitions;
    for (const TablePartition& t : table_.partitions) starts.push_back(t.start);
  }
  alignment_ = SgdiskAlignment(table_.grain, table_.total_sectors, starts);
}

std::optional<int64_t> Planner::MibToSectors(const Entry& e, const schema::OptInt& mib,
                                             const char* name) const {
  if (!mib) return std::nullopt;
  int64_t per_mib = kMiB / table_.sector_size;
  if (*mib < 0) throw Fail(e.field, std::string(name) + " " + std::to_string(*mib) + " is negative");
  if (*mib > std::numeric_limits<int64_t>::max() / per_mib) {
    throw Fail(e.field, std::string(name) + " " + std::to_string(*mib) + " is larger than any disk");
  }
  return *mib * per_mib;
}

// The config's partitions, number-0 entries moved last (stable), as upstream.
std::vector<Entry> Planner::MakeEntries() const {
  std::vector<Entry> entries;
  for (size_t i = 0; i < disk_.partitions.size(); ++i) {
    const schema::Partition& p = disk_.partitions[i];
    Entry e;
    e.cfg = &p;
    e.field = (disk_path_ / "partitions" / i).String();
    e.number = p.number;
    e.should_exist = !p.should_exist.has_value() || *p.should_exist;
    e.wipe = IsTrue(p.wipe_partition_entry);
    e.resize = IsTrue(p.resize);
    e.start = MibToSectors(e, p.start_mib, "startMiB");
    e.size = MibToSectors(e, p.size_mib, "sizeMiB");
    // A number beyond the table is only an error for a partition that should exist.
    if (e.number < 0 || (e.should_exist && e.number > max_partitions_)) {
      throw Fail(e.field, "partition number " + std::to_string(e.number) + " is outside the " +
                              std::to_string(max_partitions_) + " entries of the partition table");
    }
    entries.push_back(e);
  }
  std::stable_partition(entries.begin(), entries.end(), [](const Entry& e) { return e.number != 0; });
  if (options_.match_number_zero_by_label) {
    std::map<int64_t, std::string> claimed;  // number -> field of the entry that has it
    for (const Entry& e : entries) {
      if (e.number > 0) claimed[e.number] = e.field;
    }
    for (Entry& e : entries) MatchByLabel(e, claimed);
  }
  return entries;
}

void Planner::MatchByLabel(Entry& e, std::map<int64_t, std::string>& claimed) const {
  if (e.number != 0 || !e.cfg->label || fresh_) return;
  std::vector<int64_t> found;
  for (const TablePartition& t : table_.partitions) {
    if (t.label == *e.cfg->label) found.push_back(t.number);
  }
  if (found.empty()) return;
  if (found.size() > 1) {
    throw Fail(e.field, std::to_string(found.size()) + " partitions are labelled " + Quote(*e.cfg->label) +
                            "; give the partition a number");
  }
  auto other = claimed.find(found[0]);
  if (other != claimed.end()) {
    throw Fail(e.field, "partition " + std::to_string(found[0]) + " labelled " + Quote(*e.cfg->label) +
                            " is already claimed by " + other->second);
  }
  e.number = found[0];
  claimed[e.number] = e.field;
}

// Number 0 takes the lowest number neither on the disk nor wanted by another
// entry; an entry that should not exist frees its number.
void Planner::NumberNewEntries(std::vector<Entry>& entries) const {
  std::map<int64_t, bool> used;
  if (!fresh_) {
    for (const TablePartition& t : table_.partitions) used[t.number] = true;
  }
  for (const Entry& e : entries) {
    if (e.number > 0) used[e.number] = e.should_exist;
  }
  int64_t next = 1;
  for (Entry& e : entries) {
    if (e.number != 0 || !e.should_exist) continue;
    while (used.count(next) && used[next]) ++next;
    if (next > max_partitions_) {
      throw Fail(e.field, "no free partition number is left (the table has " +
                              std::to_string(max_partitions_) + " entries)");
    }
    e.number = next++;
  }
}

// upstream's `sgdisk --pretend`: delete every existing partition the config
// names, recreate those that should exist in order, and take the sectors
// sgdisk chose for every entry whose start or size is unset or 0.
void Planner::ResolveZeros(std::vector<Entry>& entries) const {
  GptAllocator layout(first_usable_, last_usable_, alignment_);
  if (!fresh_) {
    for (const TablePartition& t : table_.partitions) layout.Add(t.number, t.start, t.size);
  }
  for (Entry& e : entries) {
    const TablePartition* t = Existing(e.number);
    if (!t) continue;
    layout.Remove(e.number);
    if (!e.start && !e.wipe) e.start = t->start;
    if (!e.size && !e.wipe) e.size = t->size;
  }
  for (Entry& e : entries) {
    if (!e.should_exist) continue;
    Placement p = layout.Create(e.number, e.start.value_or(0), e.size.value_or(0));
    if (!p.ok) throw Fail(e.field, "cannot place partition " + std::to_string(e.number) + ": " + p.problem);
    if (e.start.value_or(0) == 0 || e.size.value_or(0) == 0) {
      e.start = p.start;
      e.size = p.size();
    }
  }
}

std::vector<std::string> Planner::Differences(const Entry& e, const TablePartition& t, bool with_size) const {
  std::vector<std::string> d;
  auto differ = [&d](const std::string& what, const std::string& have, const std::string& want) {
    d.push_back(what + " " + have + " but the config wants " + want);
  };
  if (e.start && *e.start != t.start) differ("start", Sectors(t.start), std::to_string(*e.start));
  if (with_size && e.size && *e.size != t.size) differ("size", Sectors(t.size), std::to_string(*e.size));
  const schema::Partition& c = *e.cfg;
  if (NotEmpty(c.type_guid) && !EqualFold(*c.type_guid, t.type_guid))
    differ("type GUID", t.type_guid, *c.type_guid);
  if (NotEmpty(c.guid) && !EqualFold(*c.guid, t.guid)) differ("GUID", t.guid, *c.guid);
  if (c.label && *c.label != t.label) differ("label", Quote(t.label), Quote(*c.label));
  return d;
}

PlannedPartition Planner::Created(const Entry& e, PartitionAction action) const {
  const schema::Partition& c = *e.cfg;
  PlannedPartition p{action, e.field, e.number, *e.start, *e.size, agent::kLinuxFilesystemType, "", ""};
  if (NotEmpty(c.type_guid)) p.type_guid = Upper(*c.type_guid);
  if (NotEmpty(c.guid)) p.guid = Upper(*c.guid);
  if (c.label) p.label = *c.label;
  return p;
}

// The decision matrix of docs/operator-notes.md.
PlannedPartition Planner::Decide(const Entry& e) const {
  const TablePartition* t = Existing(e.number);
  std::string n = std::to_string(e.number);
  if (!t) {
    if (!e.should_exist) return {PartitionAction::kAbsent, e.field, e.number, 0, 0, "", "", ""};
    return Created(e, PartitionAction::kCreate);
  }
  PlannedPartition existing{PartitionAction::kKeep, e.field, e.number, t->start, t->size,
                            t->type_guid,           t->guid, t->label};
  if (!e.should_exist) {
    if (!e.wipe) {
      throw Fail(e.field, "partition " + n +
                              " exists but is specified as nonexistent (shouldExist false) and "
                              "wipePartitionEntry is false");
    }
    existing.action = PartitionAction::kDelete;
    return existing;
  }
  std::vector<std::string> common = Differences(e, *t, false);
  std::vector<std::string> all = Differences(e, *t, true);
  if (all.empty()) return existing;
  if (e.wipe) return Created(e, PartitionAction::kRecreate);
  if (e.resize && common.empty()) {
    existing.action = PartitionAction::kResize;
    existing.size = *e.size;
    return existing;
  }
  std::string cause = "partition " + n + " exists with " + all[0];
  for (size_t i = 1; i < all.size(); ++i) cause += ", and with " + all[i];
  if (e.resize) {
    cause += "; resize changes only the size, set wipePartitionEntry to recreate it";
  } else if (common.empty()) {
    cause += "; set resize to change its size in place, or wipePartitionEntry to recreate it";
  } else {
    cause += "; set wipePartitionEntry to recreate it";
  }
  throw Fail(e.field, cause);
}

// The plan as the applier will carry it out must fit: a cheap re-check of
// what the sgdisk simulation already guarantees.
void Planner::CheckApplicable(const PartitionPlan& plan) const {
  GptAllocator layout(first_usable_, last_usable_, 1);
  if (!fresh_) {
    for (const TablePartition& t : table_.partitions) layout.Add(t.number, t.start, t.size);
  }
  for (const PlannedPartition& p : plan.partitions) {
    if (p.action == PartitionAction::kDelete || p.action == PartitionAction::kRecreate ||
        p.action == PartitionAction::kResize) {
      layout.Remove(p.number);
    }
  }
  for (const PlannedPartition& p : plan.partitions) {
    if (p.action != PartitionAction::kCreate && p.action != PartitionAction::kRecreate &&
        p.action != PartitionAction::kResize) {
      continue;
    }
    Placement placed = layout.Create(p.number, p.start, p.size);
    if (!placed.ok || placed.start != p.start || placed.size() != p.size) {
      throw Fail(p.field, "internal error: planned partition " + std::to_string(p.number) +
                              " does not fit: " + placed.problem);
    }
  }
}

PartitionPlan Planner::Run() {
  SetUpTable();
  std::vector<Entry> entries = MakeEntries();
  NumberNewEntries(entries);
  ResolveZeros(entries);
  PartitionPlan plan;
  plan.wipe_table = IsTrue(disk_.wipe_table);
  plan.first_usable = first_usable_;
  plan.last_usable = last_usable_;
  for (const Entry& e : entries) plan.partitions.push_back(Decide(e));
  plan.create_table = plan.wipe_table || (fresh_ && plan.Changes());
  CheckApplicable(plan);
  return plan;
}

}  // namespace

agent::PartitionPlan PlanPartitions(const schema::Disk& disk, const schema::Path& disk_path,
                                    const agent::DiskTable& table, const PlanOptions& options) {
  return Planner(disk, disk_path, table, options).Run();
}

}  // namespace flint::stages
