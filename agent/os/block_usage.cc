#include "agent/os/block_usage.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <optional>
#include <sstream>
#include <system_error>

#include "agent/error.h"
#include "agent/os/files.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;

// A block device as sysfs lists it.
struct Block {
  std::string name;
  int64_t partition = 0;
  std::string devnum;  // "253:1"
  fs::path dir;        // its sysfs directory
};

struct Mount {
  std::string devnum;
  std::string target;
  std::string source;
};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// mountinfo and /proc/swaps escape space, tab, newline and backslash as \ooo.
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::vector<Block> Blocks(const std::string& name, const fs::path& sysfs) {
  fs::path dir = sysfs / "class" / "block" / name;
  std::vector<Block> blocks{{name, 0, Trim(ReadFile(dir / "dev", "checking whether a disk is in use")), dir}};
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (!fs::exists(e.path() / "partition", ec)) continue;
    std::string number = Trim(ReadFile(e.path() / "partition", "checking whether a disk is in use"));
    blocks.push_back({e.path().filename().string(), std::stoll(number),
                      Trim(ReadFile(e.path() / "dev", "checking whether a disk is in use")), e.path()});
  }
  if (ec) throw Failure("checking whether a disk is in use").Path(dir.string()).Errno(ec.value());
  std::sort(blocks.begin() + 1, blocks.end(),
            [](const Block& a, const Block& b) { return a.partition < b.partition; });
  return blocks;
}

// Fields: id parent major:minor root target options... - fstype source superoptions
std::vector<Mount> Mounts(const fs::path& mountinfo) {
  std::vector<Mount> mounts;
  std::istringstream in(ReadFile(mountinfo, "checking whether a disk is in use"));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> w = Words(line);
    auto dash = std::find(w.begin(), w.end(), "-");
    if (w.size() < 5 || dash == w.end() || dash + 2 >= w.end()) continue;
    mounts.push_back({w[2], Unescape(w[4]), Unescape(*(dash + 2))});
  }
  return mounts;
}

std::vector<std::string> Swaps(const fs::path& swaps) {
  std::vector<std::string> files;
  std::optional<std::string> text = ReadFileIfExists(swaps, "checking whether a disk is in use");
  if (!text) return files;
  std::istringstream in(*text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> w = Words(line);
    if (!w.empty()) files.push_back(Unescape(w[0]));
  }
  return files;
}

// Whether `source` (a mount source or swap file) names the node `node`.
bool SameNode(const std::string& source, const fs::path& node) {
  if (source.empty() || source[0] != '/') return false;
  if (fs::path(source) == node) return true;
  std::error_code a;
  std::error_code b;
  fs::path s = fs::canonical(source, a);
  fs::path n = fs::canonical(node, b);
  return !a && !b && s == n;
}

void AddUsers(const Block& b, const std::vector<Mount>& mounts, const std::vector<std::string>& swaps,
              const BlockRoots& roots, std::vector<BlockUser>& users) {
  fs::path node = roots.dev / b.name;
  for (const Mount& m : mounts) {
    if (m.devnum == b.devnum || SameNode(m.source, node))
      users.push_back({b.name, b.partition, "mounted at " + m.target});
  }
  for (const std::string& s : swaps) {
    if (SameNode(s, node)) users.push_back({b.name, b.partition, "active swap"});
  }
  fs::path holders = b.dir / "holders";
  std::error_code ec;
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(holders, ec))
    names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  for (const std::string& h : names) users.push_back({b.name, b.partition, "held by " + h});
}

void Refuse(const std::string& what, const std::string& device, const std::string& field,
            const BlockUser& u) {
  Failure f("refusing to " + what);
  f.Device(device).Cause("'" + u.name + "' is " + u.why);
  if (!field.empty()) f.Field(field);
  throw f;
}

}  // namespace

std::string KernelBlockName(const std::string& device, const BlockRoots& roots) {
  struct stat st;
  if (::stat(device.c_str(), &st) != 0) throw Failure("finding the block device").Device(device).Errno(errno);
  if (!S_ISBLK(st.st_mode))
    throw Failure("finding the block device").Device(device).Cause("not a block device");
  std::string devnum = std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev));
  std::error_code ec;
  fs::path link = fs::read_symlink(roots.sysfs / "dev" / "block" / devnum, ec);
  if (ec)
    throw Failure("finding the block device")
        .Device(device)
        .Path((roots.sysfs / "dev" / "block" / devnum).string())
        .Errno(ec.value());
  return link.filename().string();
}

std::vector<BlockUser> FindBlockUsers(const std::string& name, const BlockRoots& roots) {
  std::vector<Mount> mounts = Mounts(roots.mountinfo);
  std::vector<std::string> swaps = Swaps(roots.swaps);
  std::vector<BlockUser> users;
  for (const Block& b : Blocks(name, roots.sysfs)) AddUsers(b, mounts, swaps, roots, users);
  return users;
}

void CheckNotInUse(const PartitionPlan& plan, const std::vector<BlockUser>& users,
                   const std::string& device) {
  for (const BlockUser& u : users) {
    if (u.partition == 0) Refuse("partition", device, "", u);
  }
  for (const BlockUser& u : users) {
    if (plan.create_table) Refuse("replace the partition table of", device, "", u);
  }
  for (const PlannedPartition& p : plan.partitions) {
    if (p.action == PartitionAction::kAbsent || p.action == PartitionAction::kKeep) continue;
    for (const BlockUser& u : users) {
      if (u.partition != p.number) continue;
      Refuse(std::string(PartitionActionName(p.action)) + " partition " + std::to_string(p.number) + " of",
             device, p.field, u);
    }
  }
}

}  // namespace flint::agent
