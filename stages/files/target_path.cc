#include "stages/files/target_path.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <random>

#include "agent/error.h"

namespace flint::stages {
namespace {

using agent::Failure;
using agent::Fd;

// openat2 has no glibc wrapper on bookworm.
int OpenAt2(int dirfd, const std::string& path, uint64_t flags) {
  struct open_how how = {};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  for (;;) {
    long fd = syscall(SYS_openat2, dirfd, path.c_str(), &how, sizeof how);
    if (fd >= 0 || errno != EAGAIN) return static_cast<int>(fd);
  }
}

// The path relative to the root: "" for the root itself.
std::string Relative(std::string_view path) {
  std::string clean = CleanTargetPath(path);
  return clean == "/" ? std::string() : clean.substr(1);
}

std::string Parent(const std::string& clean) {
  size_t slash = clean.rfind('/');
  return slash == 0 ? "/" : clean.substr(0, slash);
}

std::string Base(const std::string& clean) { return clean.substr(clean.rfind('/') + 1); }

Failure Fail(std::string_view what, const std::string& host_path, int err) {
  return Failure(std::string(what)).Path(host_path).Errno(err);
}

void FsyncOrThrow(int fd, std::string_view what, const std::string& host_path) {
  if (::fsync(fd) != 0) throw Fail(what, host_path, errno);
}

}  // namespace

std::string CleanTargetPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(i, end - i);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = end + 1;
  }
  std::string out;
  for (std::string_view p : parts) {
    out += '/';
    out += p;
  }
  return out.empty() ? "/" : out;
}

TargetRoot::TargetRoot(std::string root) : root_(std::move(root)) {
  root_fd_.Reset(::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd_) throw Fail("opening the target root", root_, errno);
}

std::string TargetRoot::HostPath(std::string_view path) const {
  std::string clean = CleanTargetPath(path);
  if (root_.empty() || root_ == "/") return clean;
  std::string r = root_;
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  return clean == "/" ? r : r + clean;
}

Fd TargetRoot::OpenDir(std::string_view dir) const {
  std::string rel = Relative(dir);
  Fd fd(OpenAt2(root_fd_.get(), rel.empty() ? "." : rel, O_PATH | O_DIRECTORY));
  if (!fd) {
    if (errno == ENOENT) return Fd();
    throw Fail("resolving a directory in the target", HostPath(dir), errno);
  }
  return fd;
}

std::pair<Fd, std::string> TargetRoot::OpenParent(std::string_view path, std::string_view what) const {
  std::string clean = CleanTargetPath(path);
  if (clean == "/") throw Fail(what, HostPath(path), EISDIR);
  Fd parent = OpenDir(Parent(clean));
  if (!parent) throw Fail(what, HostPath(path), ENOENT);
  return {std::move(parent), Base(clean)};
}

std::pair<Fd, std::string> TargetRoot::MakeParent(std::string_view path, std::string_view what) {
  std::string clean = CleanTargetPath(path);
  if (clean == "/") throw Fail(what, HostPath(path), EISDIR);
  MakeDirs(Parent(clean), 0755);
  return OpenParent(clean, what);
}

std::vector<std::string> TargetRoot::MakeDirs(std::string_view dir, mode_t mode, uid_t uid, gid_t gid) {
  std::string clean = CleanTargetPath(dir);
  if (Fd existing = OpenDir(clean)) return {};
  std::vector<std::string> created = MakeDirs(Parent(clean), mode, uid, gid);
  Fd parent = OpenDir(Parent(clean));
  if (!parent) throw Fail("creating a directory", HostPath(clean), ENOENT);
  std::string name = Base(clean);
  if (::mkdirat(parent.get(), name.c_str(), 0700) != 0) {
    int err = errno;
    // Raced, or a link to a directory; a dangling link or a file stays an error.
    if (err == EEXIST && OpenDir(clean)) return created;
    throw Fail("creating a directory", HostPath(clean), err);
  }
  created.push_back(clean);
  SetOwnerAndMode(clean, uid, gid, mode);
  return created;
}

void TargetRoot::WriteFile(std::string_view path, std::string_view bytes, mode_t mode, uid_t uid, gid_t gid) {
  const std::string host = HostPath(path);
  auto [parent, name] = MakeParent(path, "writing a file");
  std::string temp;
  Fd fd;
  std::random_device random;
  for (int attempt = 0; attempt < 100 && !fd; ++attempt) {
    temp = "." + name + ".flint-" + std::to_string(random() % 1000000000);
    fd.Reset(::openat(parent.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd && errno != EEXIST) throw Fail("creating a temporary file for", host, errno);
  }
  if (!fd) throw Fail("creating a temporary file for", host, EEXIST);
  try {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw Fail("writing", host, errno);
      done += static_cast<size_t>(n);
    }
    if (::fchown(fd.get(), uid, gid) != 0) throw Fail("changing the owner of", host, errno);
    if (::fchmod(fd.get(), mode) != 0) throw Fail("changing the mode of", host, errno);
    FsyncOrThrow(fd.get(), "syncing", host);
    if (::renameat(parent.get(), temp.c_str(), parent.get(), name.c_str()) != 0) {
      throw Fail("renaming the temporary file over", host, errno);
    }
  } catch (...) {
    ::unlinkat(parent.get(), temp.c_str(), 0);
    throw;
  }
  Fd dir(::openat(parent.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir) ::fsync(dir.get());
}

std::optional<std::string> TargetRoot::ReadFile(std::string_view path) const {
  std::string clean = CleanTargetPath(path);
  Fd parent = OpenDir(Parent(clean));
  if (!parent) return std::nullopt;
  std::string name = Base(clean);
  Fd fd(::openat(parent.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    throw Fail("reading", HostPath(path), errno);
  }
  std::string bytes;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Fail("reading", HostPath(path), errno);
    bytes.append(buf, static_cast<size_t>(n));
  }
  return bytes;
}

void TargetRoot::Symlink(std::string_view path, std::string_view target) {
  auto [parent, name] = MakeParent(path, "creating a symlink");
  if (::symlinkat(std::string(target).c_str(), parent.get(), name.c_str()) != 0) {
    throw Fail("creating a symlink", HostPath(path), errno);
  }
}

std::optional<std::string> TargetRoot::ReadLink(std::string_view path) const {
  std::string clean = CleanTargetPath(path);
  Fd parent = OpenDir(Parent(clean));
  if (!parent) return std::nullopt;
  std::string name = Base(clean);
  char buf[4096];
  ssize_t n = ::readlinkat(parent.get(), name.c_str(), buf, sizeof buf);
  if (n < 0) {
    if (errno == ENOENT || errno == EINVAL) return std::nullopt;
    throw Fail("reading the symlink", HostPath(path), errno);
  }
  return std::string(buf, static_cast<size_t>(n));
}

bool TargetRoot::Remove(std::string_view path) {
  std::string clean = CleanTargetPath(path);
  Fd parent = OpenDir(Parent(clean));
  if (!parent) return false;
  std::string name = Base(clean);
  if (::unlinkat(parent.get(), name.c_str(), 0) == 0) return true;
  if (errno == ENOENT) return false;
  if (errno == EISDIR && ::unlinkat(parent.get(), name.c_str(), AT_REMOVEDIR) == 0) return true;
  throw Fail("removing", HostPath(path), errno);
}

std::optional<struct stat> TargetRoot::Lstat(std::string_view path) const {
  std::string clean = CleanTargetPath(path);
  struct stat st;
  if (clean == "/") {
    if (::fstat(root_fd_.get(), &st) != 0) throw Fail("inspecting", HostPath(path), errno);
    return st;
  }
  Fd parent = OpenDir(Parent(clean));
  if (!parent) return std::nullopt;
  std::string name = Base(clean);
  if (::fstatat(parent.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw Fail("inspecting", HostPath(path), errno);
  }
  return st;
}

void TargetRoot::SetOwnerAndMode(std::string_view path, uid_t uid, gid_t gid, mode_t mode) {
  std::string clean = CleanTargetPath(path);
  Fd fd;
  if (clean == "/") {
    fd.Reset(::openat(root_fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  } else {
    auto [parent, name] = OpenParent(clean, "changing the owner of");
    fd.Reset(::openat(parent.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  }
  if (!fd) throw Fail("opening", HostPath(path), errno);
  if (::fchown(fd.get(), uid, gid) != 0) throw Fail("changing the owner of", HostPath(path), errno);
  if (::fchmod(fd.get(), mode) != 0) throw Fail("changing the mode of", HostPath(path), errno);
}

}  // namespace flint::stages
