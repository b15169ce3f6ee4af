// Rules that look across the storage section: paths under links, hard links
// to directories, owners of hard links, filesystems on partitioned or wiped
// disks, and paths that collide with systemd units. Then each entry's own
// rules, in upstream's walk order (directories, disks, files, filesystems,
// links, luks, raid). Upstream: config/v3_*/types/{storage,config}.go.
#include <map>
#include <set>

#include "schema/validate_internal.h"

namespace flint::schema::validate {
namespace {

bool UnderLink(const std::string& path, const std::vector<Link>& links, size_t* count) {
  *count = 0;
  for (const Link& l : links)
    if (path.rfind(l.path + "/", 0) == 0) ++*count;
  return *count > 0;
}

void CheckUnderLinks(const std::string& path, const Path& at, const std::vector<Link>& links,
                     std::string_view message, const Ctx& ctx) {
  size_t count = 0;
  UnderLink(path, links, &count);
  for (size_t k = 0; k < count; ++k) ctx.report.Error(at, std::string(message));
}

void CheckLinks(const Storage& s, const Path& at, const Ctx& ctx) {
  for (size_t i = 0; i < s.links.size(); ++i) {
    const Link& l = s.links[i];
    const Path entry = at / "links" / i;
    CheckUnderLinks(l.path, entry, s.links, "link path includes link in config", ctx);
    // Target became optional in the schema with 3.3 and required by this rule.
    if (ctx.AtLeast(Version::k3_3) && NilOrEmpty(l.target)) {
      ctx.report.Error(entry / "target", "link target is required");
      continue;
    }
    if (!IsTrue(l.hard)) continue;
    // As upstream: a relative target is joined to the link's own path.
    std::string target = CleanPath(l.target.value_or(""));
    if (!IsAbsPath(target)) target = JoinPath(l.path, l.target.value_or(""));
    for (const Directory& d : s.directories)
      if (target == d.path) ctx.report.Error(entry, "hard link target is a directory");
    auto owner = [&](bool set, const Path& p) {
      if (set) ctx.report.Warning(p, "user/group ignored for hard link");
    };
    owner(l.user.id.has_value(), entry / "user" / "id");
    owner(l.user.name.has_value(), entry / "user" / "name");
    owner(l.group.id.has_value(), entry / "group" / "id");
    owner(l.group.name.has_value(), entry / "group" / "name");
  }
}

void CheckFilesystemsOnDisks(const Storage& s, const Path& at, const Ctx& ctx) {
  std::map<std::string, const Disk*> disks;
  for (const Disk& d : s.disks) disks[d.device] = &d;
  for (size_t i = 0; i < s.filesystems.size(); ++i) {
    const Filesystem& f = s.filesystems[i];
    auto it = disks.find(f.device);
    if (it == disks.end()) continue;
    const Path device = at / "filesystems" / i / "device";
    if (!it->second->partitions.empty())
      ctx.report.Warning(device, "filesystem overwrites partitioned device");
    else if (!IsTrue(f.wipe_filesystem) && IsTrue(it->second->wipe_table))
      ctx.report.Warning(device,
                         "device matches disk with wipeTable enabled; filesystem will be wiped");
  }
}

}  // namespace

void ValidateSystemdConflicts(const Config& config, const Ctx& ctx) {
  const std::string base = "/etc/systemd/system/";
  std::set<std::string> unit_paths;
  for (const Unit& u : config.systemd.units) {
    if (NotEmpty(u.contents)) unit_paths.insert(base + u.name);
    for (const Dropin& d : u.dropins)
      if (NotEmpty(d.contents)) unit_paths.insert(base + u.name + ".d/" + d.name);
  }
  const Path storage = Path() / "storage";
  auto check = [&](const std::string& path, const Path& at) {
    if (unit_paths.count(path))
      ctx.report.Error(at / "path", "path conflicts with systemd unit or dropin");
  };
  const Storage& s = config.storage;
  for (size_t i = 0; i < s.files.size(); ++i) check(s.files[i].path, storage / "files" / i);
  for (size_t i = 0; i < s.directories.size(); ++i)
    check(s.directories[i].path, storage / "directories" / i);
  for (size_t i = 0; i < s.links.size(); ++i) check(s.links[i].path, storage / "links" / i);
}

void ValidateStorage(const Storage& s, const Path& at, const Ctx& ctx) {
  for (size_t i = 0; i < s.directories.size(); ++i)
    CheckUnderLinks(s.directories[i].path, at / "directories" / i, s.links,
                    "directory path includes link in config", ctx);
  for (size_t i = 0; i < s.files.size(); ++i)
    CheckUnderLinks(s.files[i].path, at / "files" / i, s.links,
                    "file path includes link in config", ctx);
  CheckLinks(s, at, ctx);
  CheckFilesystemsOnDisks(s, at, ctx);

  for (size_t i = 0; i < s.directories.size(); ++i)
    ValidateDirectory(s.directories[i], at / "directories" / i, ctx);
  for (size_t i = 0; i < s.disks.size(); ++i) ValidateDisk(s.disks[i], at / "disks" / i, ctx);
  for (size_t i = 0; i < s.files.size(); ++i) ValidateFile(s.files[i], at / "files" / i, ctx);
  for (size_t i = 0; i < s.filesystems.size(); ++i)
    ValidateFilesystem(s.filesystems[i], at / "filesystems" / i, ctx);
  for (size_t i = 0; i < s.links.size(); ++i) ValidateLink(s.links[i], at / "links" / i, ctx);
  for (size_t i = 0; i < s.luks.size(); ++i) ValidateLuks(s.luks[i], at / "luks" / i, ctx);
  for (size_t i = 0; i < s.raid.size(); ++i) ValidateRaid(s.raid[i], at / "raid" / i, ctx);
}

}  // namespace flint::schema::validate
