// Operations on a located entry: none follows the last component.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "agent/error.h"
#include "agent/os/root_internal.h"

namespace flint::agent {

using namespace root_internal;

namespace {


// Removes everything inside the directory `fd` (never following symlinks).
int EmptyDirectory(int fd) {
  Fd dup = DupCloexec(fd);
  DIR* d = dup ? ::fdopendir(dup.get()) : nullptr;
  if (d == nullptr) return errno;
  dup.Release();
  int err = 0;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n == "." || n == "..") continue;
    struct stat st;
    if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;
      err = errno;
      break;
    }
    if (S_ISDIR(st.st_mode)) {
      Fd child(::openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!child) {
        err = errno;
        break;
      }
      if ((err = EmptyDirectory(child.get())) != 0) break;
      if (::unlinkat(fd, e->d_name, AT_REMOVEDIR) != 0) {
        err = errno;
        break;
      }
    } else if (::unlinkat(fd, e->d_name, 0) != 0 && errno != ENOENT) {
      err = errno;
      break;
    }
  }
  ::closedir(d);
  return err;
}

}  // namespace

Fd Root::OpenRead(const Location& at) {
  Fd fd(::openat(at.dir.get(), at.name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) throw Failure("opening").Path(Display(at.path)).Errno(errno);
  return fd;
}

void Root::MakeDirectory(const Location& at, mode_t mode) {
  if (::mkdirat(at.dir.get(), at.name.c_str(), mode & 0777) != 0) {
    throw Failure("creating directory").Path(Display(at.path)).Errno(errno);
  }
  RecordChanged(at.path);
  // mkdir honours the umask and drops set-id bits; set exactly what was asked.
  if (::fchmodat(at.dir.get(), at.name.c_str(), mode, 0) != 0) {
    throw Failure("changing the mode of").Path(Display(at.path)).Errno(errno);
  }
}

void Root::Symlink(const std::string& target, const Location& at) {
  if (::symlinkat(target.c_str(), at.dir.get(), at.name.c_str()) != 0) {
    throw Failure("creating symlink").Path(Display(at.path)).Errno(errno);
  }
  RecordChanged(at.path);
}

void Root::HardLink(const Location& target, const Location& at) {
  if (::linkat(target.dir.get(), target.name.c_str(), at.dir.get(), at.name.c_str(), 0) != 0) {
    throw Failure("creating hard link").Path(Display(at.path)).Cause(
        std::string(std::strerror(errno)) + " (target '" + Display(target.path) + "')");
  }
  RecordChanged(at.path);
}

std::string Root::ReadLink(const Location& at) {
  errno = 0;
  std::string target = ReadLinkAt(at.dir.get(), at.name.c_str());
  if (target.empty() && errno != 0) throw Failure("reading link").Path(Display(at.path)).Errno(errno);
  return target;
}

void Root::RemoveAll(const Location& at) {
  std::optional<struct stat> st = Lstat(at);
  if (!st) return;
  if (S_ISDIR(st->st_mode)) {
    Fd dir(::openat(at.dir.get(), at.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    int err = dir ? EmptyDirectory(dir.get()) : errno;
    if (err != 0) throw Failure("removing").Path(Display(at.path)).Errno(err);
    if (::unlinkat(at.dir.get(), at.name.c_str(), AT_REMOVEDIR) != 0) {
      throw Failure("removing").Path(Display(at.path)).Errno(errno);
    }
    return;
  }
  if (::unlinkat(at.dir.get(), at.name.c_str(), 0) != 0 && errno != ENOENT) {
    throw Failure("removing").Path(Display(at.path)).Errno(errno);
  }
}

void Root::Chown(const Location& at, uid_t uid, gid_t gid) {
  if (::fchownat(at.dir.get(), at.name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0) {
    throw Failure("changing the owner of").Path(Display(at.path)).Cause(
        std::string(std::strerror(errno)) + " (to " + std::to_string(uid) + ":" + std::to_string(gid) + ")");
  }
  RecordChanged(at.path);
}

void Root::Chmod(const Location& at, mode_t mode) {
  std::optional<struct stat> st = Lstat(at);
  if (!st) throw Failure("changing the mode of").Path(Display(at.path)).Errno(ENOENT);
  if (S_ISLNK(st->st_mode)) {
    throw Failure("refusing to change the mode of").Path(Display(at.path)).Cause("it is a symlink");
  }
  if (::fchmodat(at.dir.get(), at.name.c_str(), mode, 0) != 0) {
    throw Failure("changing the mode of").Path(Display(at.path)).Errno(errno);
  }
  RecordChanged(at.path);
}

}  // namespace flint::agent
