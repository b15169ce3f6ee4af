// The target directory (-root, /sysroot): every path a config names is
// resolved inside it as if it were `/` — openat2(RESOLVE_IN_ROOT |
// RESOLVE_NO_MAGICLINKS), or a component-by-component walk with the same
// semantics where openat2 is missing — so absolute symlinks and `../` chains
// in the target image stay inside it. The last component of a path is never
// followed (except by the calls that say they follow it). Failures throw
// agent::Failure naming the operation and the path under the root.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "agent/os/env.h"
#include "agent/os/fd.h"

namespace flint::agent {

// Go's filepath.Clean: lexical, "/a//b/./c/../d" -> "/a/b/d", "" -> ".".
std::string CleanPath(std::string_view path);

// A path's last component, inside the root: the directory that holds it
// (an O_PATH descriptor) and its name there. `path` is where it lands,
// after symlinks in its directories, as an absolute path under the root.
struct Location {
  Fd dir;
  std::string name;
  std::string path;
};

class Root {
 public:
  enum class Resolver {
    kAuto,     // openat2 when the kernel has it, the walk otherwise
    kOpenat2,  // openat2 only (construction fails when it is missing)
    kWalk,     // the component-by-component fallback
  };

  // FLINT_ROOT_RESOLVER=walk|openat2 forces one (tests of the fallback on
  // kernels that have openat2); unset or anything else is kAuto.
  static Resolver ResolverFromEnv(const Env& env);

  // Opens `dir`, which must be a directory. Throws agent::Failure.
  explicit Root(std::filesystem::path dir, Resolver resolver = Resolver::kAuto);

  const std::filesystem::path& dir() const { return dir_; }
  // The resolver in use: kOpenat2 or kWalk.
  Resolver resolver() const { return resolver_; }
  // `path` (under the root) as the host sees it, for messages: /sysroot/etc/motd.
  std::string Display(std::string_view path) const;

  // Locates `path`'s last component. With `create_parents`, missing
  // directories are created 0755 root:root and recorded as changed;
  // without it a missing directory throws (ENOENT). Refuses the root itself.
  Location Locate(std::string_view path, bool create_parents);
  // The same, or nullopt when a directory on the way does not exist.
  std::optional<Location> Find(std::string_view path);

  // Where `path` lands (symlinks in its directories followed inside the
  // root, the last component kept; missing components kept as written).
  // Creates nothing.
  std::string Resolve(std::string_view path);

  // lstat of the last component; nullopt when it (or a directory on the
  // way) does not exist.
  std::optional<struct stat> Lstat(std::string_view path);
  std::optional<struct stat> Lstat(const Location& at);
  // stat, following the last component too (inside the root).
  std::optional<struct stat> Stat(std::string_view path);

  // The whole file at `path` (the last component followed inside the root),
  // or nullopt when it does not exist.
  std::optional<std::string> ReadFile(std::string_view path);

  // Operations on a located entry; none of them follows the last component.
  Fd OpenRead(const Location& at);
  void MakeDirectory(const Location& at, mode_t mode);
  void Symlink(const std::string& target, const Location& at);
  // A hard link at `at` to `target` (not followed when it is a symlink).
  void HardLink(const Location& target, const Location& at);
  std::string ReadLink(const Location& at);
  // Removes whatever is at `at`, a directory with everything in it (never
  // following symlinks); nothing when it does not exist.
  void RemoveAll(const Location& at);
  void Chown(const Location& at, uid_t uid, gid_t gid);
  // Refuses symlinks (Linux cannot chmod one).
  void Chmod(const Location& at, mode_t mode);

  // Writes `bytes` to `path` atomically (creating parents), owned by
  // uid:gid with exactly `mode`, and records it as changed.
  void WriteFile(std::string_view path, std::string_view bytes, mode_t mode, uid_t uid = 0, gid_t gid = 0);

  // Path-level conveniences (root_paths.cc), for the steps that write a
  // few well-known files:
  // mkdir -p: missing directories get exactly `mode` and uid:gid and are
  // recorded as changed; returns them, shallowest first. An existing
  // directory (or a link to one) is left alone; anything else fails.
  std::vector<std::string> MakeDirs(std::string_view dir, mode_t mode, uid_t uid = 0, gid_t gid = 0);
  // A symlink at `path` (parents created) to `target`.
  void Symlink(std::string_view path, const std::string& target);
  // The target of the symlink at `path`; nullopt when nothing or no
  // symlink is there.
  std::optional<std::string> ReadLink(std::string_view path);
  // Removes whatever is at `path` (a directory with its contents); false
  // when nothing was there.
  bool Remove(std::string_view path);
  // chown, then chmod (exactly `mode`), not following the last component.
  void SetOwnerAndMode(std::string_view path, uid_t uid, gid_t gid, mode_t mode);

  // Paths under the root that flint created or changed (absolute, in the
  // order first touched, without duplicates), for SELinux relabelling of
  // only those.
  const std::vector<std::string>& changed() const { return changed_; }
  void RecordChanged(const std::string& path);

  // Makes everything written under the root durable (syncfs).
  void Sync();

 private:
  struct Walked;
  Walked Walk(std::string_view path, bool follow_last, bool create_parents);
  Location LocateOpenat2(const std::string& clean);
  Location FromWalk(Walked& w);
  std::string CleanNonRoot(std::string_view path) const;
  // Where the directory `dir_fd` (opened as `dir_path`) is under the root.
  std::string DirPath(int dir_fd, const std::string& dir_path);

  std::filesystem::path dir_;
  std::string real_dir_;  // realpath of dir_, to map /proc/self/fd links back
  Resolver resolver_;
  Fd fd_;
  std::vector<std::string> changed_;
  std::set<std::string> changed_set_;
};

// A new file beside a located entry: bytes go to a hidden temp file in the
// same directory, which Commit() gives its owner and mode, fsyncs and
// renames over the entry. Destroying an uncommitted one removes the temp
// file; the entry is untouched until Commit() succeeds.
class RootTempFile {
 public:
  RootTempFile(Root& root, Location at);
  RootTempFile(const RootTempFile&) = delete;
  RootTempFile& operator=(const RootTempFile&) = delete;
  ~RootTempFile();

  void Write(std::string_view bytes);
  // Copies everything readable from `fd`.
  void CopyFrom(int fd);
  // Bytes written so far.
  off_t size() const { return size_; }
  // Drops everything after the first `size` bytes.
  void Truncate(off_t size);
  // fchown, fchmod (after the chown, which clears set-id bits), fsync, rename.
  void Commit(uid_t uid, gid_t gid, mode_t mode);

  const std::string& temp_name() const { return temp_name_; }
  const Location& location() const { return at_; }

 private:
  void Discard() noexcept;

  Root& root_;
  Location at_;
  std::string temp_name_;
  Fd fd_;
  off_t size_ = 0;
  bool committed_ = false;
};

}  // namespace flint::agent
