// Path-level conveniences over Locate/Find for the steps that write a few
// well-known files (units, presets, crypttab, the result file, ssh keys).
#include <sys/stat.h>

#include <cerrno>

#include "agent/error.h"
#include "agent/os/root.h"
#include "agent/os/root_internal.h"

namespace flint::agent {

using namespace root_internal;

std::vector<std::string> Root::MakeDirs(std::string_view dir, mode_t mode, uid_t uid, gid_t gid) {
  std::vector<std::string> created;
  std::vector<std::string> comps = Components(CleanPath(dir));
  std::vector<std::string> prefix;
  for (const std::string& c : comps) {
    prefix.push_back(c);
    std::string path = JoinAbsolute(prefix);
    std::optional<struct stat> st = Stat(path);  // a link to a directory is a directory
    if (st) {
      if (!S_ISDIR(st->st_mode)) throw Failure("creating directory").Path(Display(path)).Errno(ENOTDIR);
      continue;
    }
    Location at = Locate(path, false);
    if (Lstat(at)) throw Failure("creating directory").Path(Display(path)).Cause("a dangling symlink is in the way");
    MakeDirectory(at, mode);
    if (uid != 0 || gid != 0) Chown(at, uid, gid);
    created.push_back(at.path);
  }
  return created;
}

void Root::Symlink(std::string_view path, const std::string& target) { Symlink(target, Locate(path, true)); }

std::optional<std::string> Root::ReadLink(std::string_view path) {
  std::optional<Location> at = Find(path);
  if (!at) return std::nullopt;
  std::optional<struct stat> st = Lstat(*at);
  if (!st || !S_ISLNK(st->st_mode)) return std::nullopt;
  return ReadLink(*at);
}

bool Root::Remove(std::string_view path) {
  std::optional<Location> at = Find(path);
  if (!at || !Lstat(*at)) return false;
  RemoveAll(*at);
  return true;
}

void Root::SetOwnerAndMode(std::string_view path, uid_t uid, gid_t gid, mode_t mode) {
  Location at = Locate(path, false);
  Chown(at, uid, gid);  // before the mode: chown clears set-id bits
  Chmod(at, mode);
}

}  // namespace flint::agent
