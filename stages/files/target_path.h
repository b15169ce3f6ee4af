// A stand-in for the root-aware path layer (agent/os/root.h, being written
// separately): every path is resolved inside the target root with
// openat2(RESOLVE_IN_ROOT), so absolute or `../` symlinks in the image stay
// inside it; the last component is never followed. Failures throw
// agent::Failure naming the operation and the target path.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/os/fd.h"

namespace flint::stages {

class TargetRoot {
 public:
  // `root` is the -root directory ("/sysroot"); paths are absolute inside it.
  explicit TargetRoot(std::string root);

  const std::string& root() const { return root_; }
  // root + path, for messages and for tools that take host paths.
  std::string HostPath(std::string_view path) const;

  // mkdir -p: missing directories are created with exactly `mode` and owned
  // by uid:gid; existing ones are left alone. Returns the created ones
  // (target paths, shallowest first).
  std::vector<std::string> MakeDirs(std::string_view dir, mode_t mode, uid_t uid = 0, gid_t gid = 0);

  // Replaces `path` atomically (temp file beside it, fsync, rename) with
  // exactly `mode` and uid:gid. Missing parents are created 0755 root:root.
  void WriteFile(std::string_view path, std::string_view bytes, mode_t mode, uid_t uid = 0, gid_t gid = 0);

  // Contents of a regular file; nullopt when it does not exist. Refuses to
  // follow a symlink in the last component.
  std::optional<std::string> ReadFile(std::string_view path) const;

  // Creates a symlink (parents 0755); fails when something is already there.
  void Symlink(std::string_view path, std::string_view target);
  // The target of a symlink; nullopt when `path` is missing or not a link.
  std::optional<std::string> ReadLink(std::string_view path) const;

  // Removes a file, link or empty directory; false when nothing was there.
  bool Remove(std::string_view path);

  // lstat of the last component; nullopt when it does not exist.
  std::optional<struct stat> Lstat(std::string_view path) const;

  // chown + chmod (exact mode) of an existing file or directory, not
  // following a symlink in the last component.
  void SetOwnerAndMode(std::string_view path, uid_t uid, gid_t gid, mode_t mode);

 private:
  // The directory `dir` resolved in the root; an empty Fd when missing.
  agent::Fd OpenDir(std::string_view dir) const;
  // The parent directory of `path` (which must exist) and the last component.
  std::pair<agent::Fd, std::string> OpenParent(std::string_view path, std::string_view what) const;
  // The parent of `path`, created (0755 root:root) when missing.
  std::pair<agent::Fd, std::string> MakeParent(std::string_view path, std::string_view what);

  std::string root_;
  agent::Fd root_fd_;
};

// "/a/b/../c/" -> "/a/c": lexical, for target paths. Pure.
std::string CleanTargetPath(std::string_view path);

}  // namespace flint::stages
