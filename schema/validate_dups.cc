// Duplicate keys, as upstream's second validation pass (config/validate
// ValidateDups): in every struct, each list must not repeat a key (the
// entry's Key(): a path, a name, a device, a source; the string itself for
// lists of strings), except lists upstream lets repeat (IgnoreDuplicates:
// file appends, filesystem and mount options, LUKS and RAID options); files,
// directories and links share one key space. The error sits on the repeated
// entry, and the walk visits parents before children.
#include <set>

#include "schema/validate_internal.h"

namespace flint::schema::validate {
namespace {

// One key space; Check() reports an entry whose key was seen before.
class KeySpace {
 public:
  explicit KeySpace(const Ctx& ctx) : ctx_(ctx) {}
  void Check(const std::string& key, const Path& at) {
    if (!seen_.insert(key).second) ctx_.report.Error(at, std::string(kErrDuplicate));
  }

 private:
  const Ctx& ctx_;
  std::set<std::string> seen_;
};

template <class T, class KeyFn>
void CheckList(const std::vector<T>& list, const Path& at, KeyFn key, KeySpace& space) {
  for (size_t i = 0; i < list.size(); ++i) space.Check(key(list[i]), at / i);
}

template <class T, class KeyFn>
void CheckList(const std::vector<T>& list, const Path& at, KeyFn key, const Ctx& ctx) {
  KeySpace space(ctx);
  CheckList(list, at, key, space);
}

void CheckStrings(const std::vector<std::string>& list, const Path& at, const Ctx& ctx) {
  CheckList(list, at, [](const std::string& s) { return s; }, ctx);
}

std::string SourceKey(const Resource& r) { return r.source.value_or(""); }

void ResourceDups(const Resource& r, const Path& at, const Ctx& ctx) {
  CheckList(r.http_headers, at / "httpHeaders", [](const HttpHeader& h) { return h.name; }, ctx);
}

void IgnitionDups(const Ignition& ign, const Path& at, const Ctx& ctx) {
  const Path config = at / "config";
  CheckList(ign.config.merge, config / "merge", SourceKey, ctx);
  for (size_t i = 0; i < ign.config.merge.size(); ++i)
    ResourceDups(ign.config.merge[i], config / "merge" / i, ctx);
  ResourceDups(ign.config.replace, config / "replace", ctx);
  CheckStrings(ign.proxy.no_proxy, at / "proxy" / "noProxy", ctx);
  const Path tls = at / "security" / "tls";
  const auto& cas = ign.security.tls.certificate_authorities;
  CheckList(cas, tls / "certificateAuthorities", SourceKey, ctx);
  for (size_t i = 0; i < cas.size(); ++i)
    ResourceDups(cas[i], tls / "certificateAuthorities" / i, ctx);
}

void PasswdDups(const Passwd& p, const Path& at, const Ctx& ctx) {
  CheckList(p.groups, at / "groups", [](const PasswdGroup& g) { return g.name; }, ctx);
  CheckList(p.users, at / "users", [](const PasswdUser& u) { return u.name; }, ctx);
  for (size_t i = 0; i < p.users.size(); ++i) {
    CheckStrings(p.users[i].groups, at / "users" / i / "groups", ctx);
    CheckStrings(p.users[i].ssh_authorized_keys, at / "users" / i / "sshAuthorizedKeys", ctx);
  }
}

std::string PartitionKey(const Partition& p) {
  if (p.number != 0) return "number:" + std::to_string(p.number);
  if (p.label) return "label:" + *p.label;
  return "";
}

void StorageDups(const Storage& s, const Path& at, const Ctx& ctx) {
  // Lists in the Go struct's order; the three node lists share keys.
  KeySpace nodes(ctx);
  auto node_key = [](const Node& n) { return n.path; };
  CheckList(s.directories, at / "directories", node_key, nodes);
  CheckList(s.disks, at / "disks", [](const Disk& d) { return d.device; }, ctx);
  CheckList(s.files, at / "files", node_key, nodes);
  CheckList(s.filesystems, at / "filesystems", [](const Filesystem& f) { return f.device; }, ctx);
  CheckList(s.links, at / "links", node_key, nodes);
  CheckList(s.luks, at / "luks", [](const Luks& l) { return l.name; }, ctx);
  CheckList(s.raid, at / "raid", [](const Raid& r) { return r.name; }, ctx);

  for (size_t i = 0; i < s.disks.size(); ++i)
    CheckList(s.disks[i].partitions, at / "disks" / i / "partitions", PartitionKey, ctx);
  for (size_t i = 0; i < s.files.size(); ++i) {
    const File& f = s.files[i];
    for (size_t k = 0; k < f.append.size(); ++k)
      ResourceDups(f.append[k], at / "files" / i / "append" / k, ctx);
    ResourceDups(f.contents, at / "files" / i / "contents", ctx);
  }
  for (size_t i = 0; i < s.luks.size(); ++i) {
    const Luks& l = s.luks[i];
    const Path luks = at / "luks" / i;
    CheckStrings(l.open_options, luks / "openOptions", ctx);
    CheckList(l.clevis.tang, luks / "clevis" / "tang", [](const Tang& t) { return t.url; }, ctx);
    ResourceDups(l.key_file, luks / "keyFile", ctx);
  }
  for (size_t i = 0; i < s.raid.size(); ++i)
    CheckStrings(s.raid[i].devices, at / "raid" / i / "devices", ctx);
}

void SystemdDups(const Systemd& s, const Path& at, const Ctx& ctx) {
  CheckList(s.units, at / "units", [](const Unit& u) { return u.name; }, ctx);
  for (size_t i = 0; i < s.units.size(); ++i)
    CheckList(s.units[i].dropins, at / "units" / i / "dropins",
              [](const Dropin& d) { return d.name; }, ctx);
}

}  // namespace

void ValidateDuplicates(const Config& config, const Ctx& ctx) {
  const Path root;
  IgnitionDups(config.ignition, root / "ignition", ctx);
  KernelArgumentDuplicates(config.kernel_arguments, root / "kernelArguments", ctx);
  PasswdDups(config.passwd, root / "passwd", ctx);
  StorageDups(config.storage, root / "storage", ctx);
  SystemdDups(config.systemd, root / "systemd", ctx);
}

}  // namespace flint::schema::validate
