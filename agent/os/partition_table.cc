#include "agent/os/partition_table.h"

#include <libfdisk/libfdisk.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "agent/error.h"

namespace flint::agent {
namespace {

// Every libfdisk handle is owned.
template <auto Fn>
struct Unref {
  template <class T>
  void operator()(T* p) const {
    Fn(p);
  }
};
using Context = std::unique_ptr<fdisk_context, Unref<fdisk_unref_context>>;
using Partition = std::unique_ptr<fdisk_partition, Unref<fdisk_unref_partition>>;
using Table = std::unique_ptr<fdisk_table, Unref<fdisk_unref_table>>;
using Type = std::unique_ptr<fdisk_parttype, Unref<fdisk_unref_parttype>>;
using Iter = std::unique_ptr<fdisk_iter, Unref<fdisk_free_iter>>;
using Script = std::unique_ptr<fdisk_script, Unref<fdisk_unref_script>>;
using LabelItem = std::unique_ptr<fdisk_labelitem, Unref<fdisk_unref_labelitem>>;

constexpr int64_t kMiB = 1024 * 1024;

// libfdisk returns a negative errno on failure.
void Check(int rc, const char* call, const std::string& device, const std::string& field = "") {
  if (rc >= 0) return;
  Failure f(call);
  f.Device(device).Errno(-rc);
  if (!field.empty()) f.Field(field);
  throw f;
}

bool EqualFold(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

std::string Str(const char* s) { return s ? s : ""; }

Context Open(const std::string& device, const TableAccess& access, bool readonly) {
  Context cxt(fdisk_new_context());
  if (!cxt) throw Failure("fdisk_new_context").Device(device).Errno(ENOMEM);
  if (access.sector_size != 0) {
    Check(fdisk_save_user_sector_size(cxt.get(), static_cast<unsigned int>(access.sector_size),
                                      static_cast<unsigned int>(access.sector_size)),
          "fdisk_save_user_sector_size", device);
  }
  Check(fdisk_assign_device(cxt.get(), device.c_str(), readonly ? 1 : 0), "fdisk_assign_device", device);
  return cxt;
}

std::string TypeString(fdisk_partition* pa) {
  fdisk_parttype* type = fdisk_partition_get_type(pa);  // borrowed
  if (!type) return "";
  if (const char* s = fdisk_parttype_get_string(type)) return s;
  char code[16];
  std::snprintf(code, sizeof code, "%x", fdisk_parttype_get_code(type));
  return code;
}

std::vector<TablePartition> Partitions(fdisk_context* cxt, const std::string& device) {
  fdisk_table* raw = nullptr;
  Check(fdisk_get_partitions(cxt, &raw), "fdisk_get_partitions", device);
  Table table(raw);
  Iter iter(fdisk_new_iter(FDISK_ITER_FORWARD));
  if (!iter) throw Failure("fdisk_new_iter").Device(device).Errno(ENOMEM);
  std::vector<TablePartition> parts;
  fdisk_partition* pa = nullptr;  // borrowed from the table
  while (fdisk_table_next_partition(table.get(), iter.get(), &pa) == 0) {
    if (!fdisk_partition_is_used(pa) || !fdisk_partition_has_partno(pa)) continue;
    parts.push_back({static_cast<int64_t>(fdisk_partition_get_partno(pa)) + 1,
                     static_cast<int64_t>(fdisk_partition_get_start(pa)),
                     static_cast<int64_t>(fdisk_partition_get_size(pa)), TypeString(pa),
                     Str(fdisk_partition_get_uuid(pa)), Str(fdisk_partition_get_name(pa))});
  }
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
  return parts;
}

// A number from the GPT header (first/last usable LBA): libfdisk's
// fdisk_get_first_lba is its allocation bound, which may differ.
int64_t HeaderNumber(fdisk_context* cxt, int id, const std::string& device) {
  LabelItem item(fdisk_new_labelitem());
  if (!item) throw Failure("fdisk_new_labelitem").Device(device).Errno(ENOMEM);
  Check(fdisk_get_disklabel_item(cxt, id, item.get()), "fdisk_get_disklabel_item", device);
  uint64_t value = 0;
  Check(fdisk_labelitem_get_data_u64(item.get(), &value), "fdisk_labelitem_get_data_u64", device);
  return static_cast<int64_t>(value);
}

// On a grown disk the backup GPT is not at the end. libfdisk can only write
// it at the end, and moves it there (extending the usable range) as soon as
// the device is opened for writing; a read-only read must report the range
// that write will have. (sgdisk leaves it in place unless given -e; distros
// such as Fedora CoreOS run `sgdisk -e` before Ignition's disks stage.)
int64_t GptLastUsable(fdisk_context* cxt, const DiskTable& t, const std::string& device) {
  int64_t backup = HeaderNumber(cxt, GPT_LABELITEM_ALTLBA, device);
  if (backup >= t.total_sectors - 1) return HeaderNumber(cxt, GPT_LABELITEM_LASTLBA, device);
  int64_t entries = HeaderNumber(cxt, GPT_LABELITEM_ENTRIESALLOC, device);
  return t.total_sectors - 2 - (entries * 128 + t.sector_size - 1) / t.sector_size;
}

// The table as libfdisk has it in memory (as read, or as changed so far).
DiskTable Describe(fdisk_context* cxt, const std::string& device) {
  DiskTable t;
  t.sector_size = static_cast<int64_t>(fdisk_get_sector_size(cxt));
  t.total_sectors = static_cast<int64_t>(fdisk_get_nsectors(cxt));
  t.grain = std::max<int64_t>(1, kMiB / t.sector_size);  // sgdisk's default, not libfdisk's I/O hints
  if (!fdisk_has_label(cxt)) {
    t.first_usable = FreshGptFirstUsable(t.sector_size);
    t.last_usable = FreshGptLastUsable(t.sector_size, t.total_sectors);
    return t;
  }
  t.label_type = Str(fdisk_label_get_name(fdisk_get_label(cxt, nullptr)));
  if (fdisk_is_label(cxt, GPT)) {
    t.first_usable = HeaderNumber(cxt, GPT_LABELITEM_FIRSTLBA, device);
    t.last_usable = GptLastUsable(cxt, t, device);
  } else {
    t.first_usable = static_cast<int64_t>(fdisk_get_first_lba(cxt));
    t.last_usable = static_cast<int64_t>(fdisk_get_last_lba(cxt));
  }
  t.max_partitions = static_cast<int64_t>(fdisk_get_npartitions(cxt));
  t.partitions = Partitions(cxt, device);
  return t;
}

// A fresh GPT laid out as sgdisk does (first usable sector 34, not libfdisk's
// 2048). The range goes in through script headers, the one way libfdisk takes
// it when a label already exists.
void CreateGpt(fdisk_context* cxt, const PartitionPlan& plan, const std::string& device) {
  Script script(fdisk_new_script(cxt));
  if (!script) throw Failure("fdisk_new_script").Device(device).Errno(ENOMEM);
  Check(fdisk_script_set_header(script.get(), "first-lba", std::to_string(plan.first_usable).c_str()),
        "fdisk_script_set_header", device);
  Check(fdisk_script_set_header(script.get(), "last-lba", std::to_string(plan.last_usable).c_str()),
        "fdisk_script_set_header", device);
  Check(fdisk_set_script(cxt, script.get()), "fdisk_set_script", device);
  int rc = fdisk_create_disklabel(cxt, "gpt");
  fdisk_set_script(cxt, nullptr);
  Check(rc, "fdisk_create_disklabel", device);
  fdisk_set_first_lba(cxt, static_cast<fdisk_sector_t>(plan.first_usable));
  fdisk_set_last_lba(cxt, static_cast<fdisk_sector_t>(plan.last_usable));
}

// A fresh GPT, or the existing GPT the plan was made for.
void PrepareLabel(fdisk_context* cxt, const PartitionPlan& plan, const std::string& device) {
  if (plan.create_table) {
    Check(fdisk_enable_wipe(cxt, 1), "fdisk_enable_wipe", device);
    CreateGpt(cxt, plan, device);
  } else if (!fdisk_is_label(cxt, GPT)) {
    throw Failure("refusing to partition")
        .Device(device)
        .Cause("it has no GPT, and the plan does not create one");
  }
  int64_t first = HeaderNumber(cxt, GPT_LABELITEM_FIRSTLBA, device);
  int64_t last = HeaderNumber(cxt, GPT_LABELITEM_LASTLBA, device);
  if (first != plan.first_usable || last != plan.last_usable) {
    throw Failure("checking the partition table of")
        .Device(device)
        .Cause("its usable sectors are " + std::to_string(first) + "-" + std::to_string(last) +
               ", the plan was made for " + std::to_string(plan.first_usable) + "-" +
               std::to_string(plan.last_usable));
  }
}

void Resize(fdisk_context* cxt, const PlannedPartition& p, const std::string& device) {
  Partition pa(fdisk_new_partition());
  if (!pa) throw Failure("fdisk_new_partition").Device(device).Errno(ENOMEM);
  Check(fdisk_partition_set_size(pa.get(), static_cast<uint64_t>(p.size)), "fdisk_partition_set_size", device,
        p.field);
  Check(fdisk_partition_size_explicit(pa.get(), 1), "fdisk_partition_size_explicit", device, p.field);
  Check(fdisk_set_partition(cxt, static_cast<size_t>(p.number - 1), pa.get()), "fdisk_set_partition", device,
        p.field);
}

void Create(fdisk_context* cxt, const PlannedPartition& p, const std::string& device) {
  Partition pa(fdisk_new_partition());
  if (!pa) throw Failure("fdisk_new_partition").Device(device).Errno(ENOMEM);
  Type type(fdisk_label_parse_parttype(fdisk_get_label(cxt, nullptr), p.type_guid.c_str()));
  if (!type)
    throw Failure("fdisk_label_parse_parttype")
        .Device(device)
        .Field(p.field)
        .Cause("not a type: " + p.type_guid);
  fdisk_partition* raw = pa.get();
  Check(fdisk_partition_set_partno(raw, static_cast<size_t>(p.number - 1)), "fdisk_partition_set_partno",
        device, p.field);
  Check(fdisk_partition_set_start(raw, static_cast<uint64_t>(p.start)), "fdisk_partition_set_start", device,
        p.field);
  Check(fdisk_partition_set_size(raw, static_cast<uint64_t>(p.size)), "fdisk_partition_set_size", device,
        p.field);
  Check(fdisk_partition_size_explicit(raw, 1), "fdisk_partition_size_explicit", device, p.field);
  Check(fdisk_partition_set_type(raw, type.get()), "fdisk_partition_set_type", device, p.field);
  if (!p.label.empty())
    Check(fdisk_partition_set_name(raw, p.label.c_str()), "fdisk_partition_set_name", device, p.field);
  if (!p.guid.empty())
    Check(fdisk_partition_set_uuid(raw, p.guid.c_str()), "fdisk_partition_set_uuid", device, p.field);
  size_t partno = 0;
  Check(fdisk_add_partition(cxt, raw, &partno), "fdisk_add_partition", device, p.field);
}

// What libfdisk now has in memory differs from the plan, or "".
std::string Mismatch(const PlannedPartition& p, const DiskTable& now) {
  auto it = std::find_if(now.partitions.begin(), now.partitions.end(),
                         [&p](const TablePartition& t) { return t.number == p.number; });
  bool gone = p.action == PartitionAction::kDelete || p.action == PartitionAction::kAbsent;
  std::string n = "partition " + std::to_string(p.number);
  if (gone) return it == now.partitions.end() ? "" : n + " still exists";
  if (it == now.partitions.end()) return n + " is missing";
  if (it->start != p.start || it->size != p.size) {
    return n + " is at " + std::to_string(it->start) + "+" + std::to_string(it->size) + ", the plan has " +
           std::to_string(p.start) + "+" + std::to_string(p.size);
  }
  if (p.action != PartitionAction::kCreate && p.action != PartitionAction::kRecreate) return "";
  if (!EqualFold(it->type_guid, p.type_guid))
    return n + " has type " + it->type_guid + ", the plan " + p.type_guid;
  if (!p.guid.empty() && !EqualFold(it->guid, p.guid))
    return n + " has GUID " + it->guid + ", the plan " + p.guid;
  if (it->label != p.label) return n + " has name \"" + it->label + "\", the plan \"" + p.label + "\"";
  return "";
}

// The table about to be written must be exactly the plan, and sound.
void CheckBeforeWrite(fdisk_context* cxt, const PartitionPlan& plan, const std::string& device) {
  DiskTable now = Describe(cxt, device);
  for (const PlannedPartition& p : plan.partitions) {
    std::string problem = Mismatch(p, now);
    if (!problem.empty()) {
      throw Failure("checking the new partition table of").Device(device).Field(p.field).Cause(problem);
    }
  }
  // Not fdisk_verify_disklabel: it also counts a backup GPT left mid-disk.
  std::string layout = LayoutProblem(now);
  if (!layout.empty()) throw Failure("checking the new partition table of").Device(device).Cause(layout);
}

void Edit(fdisk_context* cxt, const PartitionPlan& plan, const std::string& device) {
  PrepareLabel(cxt, plan, device);
  for (const PlannedPartition& p : plan.partitions) {
    if (p.action == PartitionAction::kDelete || p.action == PartitionAction::kRecreate) {
      Check(fdisk_delete_partition(cxt, static_cast<size_t>(p.number - 1)), "fdisk_delete_partition", device,
            p.field);
    }
  }
  for (const PlannedPartition& p : plan.partitions) {
    if (p.action == PartitionAction::kResize) Resize(cxt, p, device);
  }
  for (const PlannedPartition& p : plan.partitions) {
    if (p.action == PartitionAction::kCreate || p.action == PartitionAction::kRecreate)
      Create(cxt, p, device);
  }
  CheckBeforeWrite(cxt, plan, device);
}

// BLKPG for each changed partition, like upstream's partx calls (BLKRRPART
// fails while any partition of the disk is in use), falling back to BLKRRPART.
// A failure here is reported only if the kernel's view then turns out wrong.
std::string Reread(fdisk_context* cxt, fdisk_table* before) {
  if (::fsync(fdisk_get_devfd(cxt)) != 0)
    return std::string("fsync before re-reading failed: ") + std::strerror(errno);
  int rc = fdisk_reread_changes(cxt, before);
  if (rc >= 0) return "";
  std::string note = std::string("fdisk_reread_changes failed: ") + std::strerror(-rc);
  int whole = fdisk_reread_partition_table(cxt);  // BLKRRPART, when nothing is in use
  if (whole >= 0) return "";
  return note + ", and fdisk_reread_partition_table: " + std::strerror(-whole);
}

}  // namespace

DiskTable ReadPartitionTable(const std::string& device, const TableAccess& access) {
  Context cxt = Open(device, access, true);
  return Describe(cxt.get(), device);
}

void ApplyPartitionPlan(const std::string& device, const PartitionPlan& plan, const ApplyOptions& options) {
  struct stat st;
  if (::stat(device.c_str(), &st) != 0) throw Failure("partitioning").Device(device).Errno(errno);
  bool block = S_ISBLK(st.st_mode);
  std::string name;
  if (block) {
    name = KernelBlockName(device, options.roots);
    CheckNotInUse(plan, FindBlockUsers(name, options.roots), device);
  }
  if (!plan.Changes()) return;
  Context cxt = Open(device, options.access, false);
  DiskTable before = Describe(cxt.get(), device);
  fdisk_table* raw = nullptr;
  if (fdisk_has_label(cxt.get()))
    Check(fdisk_get_partitions(cxt.get(), &raw), "fdisk_get_partitions", device);
  Table original(raw ? raw : fdisk_new_table());
  Edit(cxt.get(), plan, device);
  Check(fdisk_write_disklabel(cxt.get()), "fdisk_write_disklabel", device);
  std::string note = block ? Reread(cxt.get(), original.get()) : "";
  Check(fdisk_deassign_device(cxt.get(), 1), "fdisk_deassign_device", device);
  if (block)
    WaitForKernelPartitions(device, name, ExpectedKernelPartitions(plan, before), options.sync, note);
}

}  // namespace flint::agent
