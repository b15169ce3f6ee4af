// Owners of files, directories and links: an id as given, or a name looked
// up in the target's own /etc/passwd and /etc/group, read directly (no NSS,
// no chroot), then in /usr/lib/passwd and /usr/lib/group, where CoreOS keeps
// system accounts for nss-altfiles. The files are re-read when they change,
// so users created by the passwd step, or a passwd file written by the
// config itself, resolve.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "agent/os/root.h"
#include "schema/model.h"
#include "schema/path.h"

namespace flint::stages {

// The id of `name` in passwd- or group-format text (`name:x:id:...`): the
// first line that names it. Comments, NIS `+`/`-` lines and lines without a
// decimal id are skipped. Pure.
std::optional<uint32_t> LookupId(std::string_view db, std::string_view name);

class Owners {
 public:
  explicit Owners(agent::Root& root);

  // `owner.id` when set, else `owner.name` looked up, else `fallback`.
  // Throws agent::Failure naming the field (`at` is the owner object's
  // path: $.storage.files.3.user) when the name is unknown.
  uid_t Uid(const schema::NodeOwner& owner, uid_t fallback, const schema::Path& at);
  gid_t Gid(const schema::NodeOwner& owner, gid_t fallback, const schema::Path& at);

 private:
  // One database file, cached until its inode, size or times change.
  struct Db {
    explicit Db(std::string p) : path(std::move(p)) {}
    std::string path;
    std::optional<std::string> text;
    bool loaded = false;
    struct stat key = {};
  };
  const std::optional<std::string>& Load(Db& db);
  uint32_t Find(Db& primary, Db& altfiles, const schema::NodeOwner& owner, std::string_view kind,
                const schema::Path& at);

  agent::Root& root_;
  Db passwd_{"/etc/passwd"};
  Db group_{"/etc/group"};
  Db lib_passwd_{"/usr/lib/passwd"};
  Db lib_group_{"/usr/lib/group"};
};

}  // namespace flint::stages
