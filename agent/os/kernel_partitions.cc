#include "agent/os/kernel_partitions.h"

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <system_error>
#include <thread>

#include "agent/error.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;

// A partition as sysfs shows it.
struct Seen {
  std::string name;
  int64_t start = -1;
  int64_t size = -1;
};

// sysfs files vanish while the kernel updates a disk: a read that fails is
// "not there (yet)", not an error.
std::optional<int64_t> ReadNumber(const fs::path& path) {
  std::ifstream in(path);
  int64_t value = 0;
  if (!(in >> value)) return std::nullopt;
  return value;
}

std::map<int64_t, Seen> Observe(const std::string& name, const fs::path& sysfs) {
  std::map<int64_t, Seen> seen;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(sysfs / "class" / "block" / name, ec)) {
    std::optional<int64_t> number = ReadNumber(e.path() / "partition");
    if (!number) continue;
    seen[*number] = {e.path().filename().string(), ReadNumber(e.path() / "start").value_or(-1),
                     ReadNumber(e.path() / "size").value_or(-1)};
  }
  return seen;
}

std::string Span(int64_t start, int64_t size) {
  return "start " + std::to_string(start) + " size " + std::to_string(size);
}

// What is still wrong with partition `want`, or "".
std::string Problem(const KernelPartition& want, const std::map<int64_t, Seen>& seen, const fs::path& dev) {
  std::string n = "partition " + std::to_string(want.number);
  auto it = seen.find(want.number);
  if (!want.present) {
    if (it == seen.end()) return "";
    return n + " ('" + it->second.name + "') is still there";
  }
  if (it == seen.end()) return n + " has not appeared in sysfs";
  std::error_code ec;
  fs::path node = dev / it->second.name;
  if (!fs::exists(node, ec)) return "'" + node.string() + "' has not appeared";
  if (it->second.start != want.start || it->second.size != want.size) {
    return "the kernel has " + n + " at " + Span(it->second.start, it->second.size) +
           " (512-byte sectors), the table at " + Span(want.start, want.size);
  }
  return "";
}

}  // namespace

std::vector<KernelPartition> ExpectedKernelPartitions(const PartitionPlan& plan, const DiskTable& before) {
  int64_t factor = before.sector_size / 512;
  std::vector<KernelPartition> expected;
  std::map<int64_t, bool> listed;
  for (const PlannedPartition& p : plan.partitions) {
    switch (p.action) {
      case PartitionAction::kCreate:
      case PartitionAction::kRecreate:
      case PartitionAction::kResize:
        expected.push_back({p.number, true, p.start * factor, p.size * factor});
        listed[p.number] = true;
        break;
      case PartitionAction::kDelete:
        expected.push_back({p.number, false, 0, 0});
        listed[p.number] = true;
        break;
      case PartitionAction::kAbsent:
      case PartitionAction::kKeep:
        break;
    }
  }
  if (plan.create_table) {
    for (const TablePartition& t : before.partitions) {
      if (!listed.count(t.number)) expected.push_back({t.number, false, 0, 0});
    }
  }
  return expected;
}

void WaitForKernelPartitions(const std::string& device, const std::string& name,
                             const std::vector<KernelPartition>& expected, const KernelSyncOptions& options,
                             const std::string& note) {
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  for (;;) {
    std::map<int64_t, Seen> seen = Observe(name, options.sysfs);
    std::string problem;
    for (const KernelPartition& want : expected) {
      problem = Problem(want, seen, options.dev);
      if (!problem.empty()) break;
    }
    if (problem.empty()) return;
    if (std::chrono::steady_clock::now() >= deadline) {
      std::ostringstream cause;
      cause << problem << " after " << options.timeout.count() << " ms";
      if (!note.empty()) cause << "; " << note;
      throw Failure("waiting for the kernel to show the partitions of").Device(device).Cause(cause.str());
    }
    std::this_thread::sleep_for(options.poll);
  }
}

}  // namespace flint::agent
