#include "agent/os/root.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "agent/error.h"
#include "agent/os/root_internal.h"

namespace flint::agent {

using namespace root_internal;

namespace {

// openat2 returns EAGAIN when a rename raced the lookup.
constexpr int kOpenat2Retries = 8;

int Openat2(int dir, const std::string& rel, uint64_t flags) {
  struct open_how how = {};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0;; ++attempt) {
    int fd = static_cast<int>(::syscall(SYS_openat2, dir, rel.c_str(), &how, sizeof how));
    if (fd >= 0 || errno != EAGAIN || attempt == kOpenat2Retries) return fd;
  }
}


// The path relative to the root for openat2: "etc/motd", or "." for the root.
std::string Relative(const std::vector<std::string>& comps, size_t count) {
  std::string rel;
  for (size_t i = 0; i < count; ++i) rel += (i ? "/" : "") + comps[i];
  return rel.empty() ? "." : rel;
}

}  // namespace

Root::Root(std::filesystem::path dir, Resolver resolver) : dir_(std::move(dir)), resolver_(resolver) {
  fd_.Reset(::open(dir_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd_) throw Failure("opening the root directory").Path(dir_.string()).Errno(errno);
  if (char* real = ::realpath(dir_.c_str(), nullptr)) {
    real_dir_ = real;
    std::free(real);
  }
  if (resolver_ == Resolver::kWalk) return;
  Fd probe(Openat2(fd_.get(), ".", O_PATH));
  if (!probe) {
    int err = errno;
    // ENOSYS: an older kernel; EPERM: a seccomp filter that predates it.
    if (resolver_ == Resolver::kAuto && (err == ENOSYS || err == EPERM)) {
      resolver_ = Resolver::kWalk;
      return;
    }
    throw Failure("openat2 in the root directory").Path(dir_.string()).Errno(err);
  }
  resolver_ = Resolver::kOpenat2;
}

Root::Resolver Root::ResolverFromEnv(const Env& env) {
  std::string value = env("FLINT_ROOT_RESOLVER");
  if (value == "walk") return Resolver::kWalk;
  if (value == "openat2") return Resolver::kOpenat2;
  return Resolver::kAuto;
}

std::string Root::Display(std::string_view path) const {
  std::string p = path.empty() || path[0] != '/' ? "/" + std::string(path) : std::string(path);
  std::string base = dir_.string();
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  if (base == "/") return p;
  return p == "/" ? base : base + p;
}

std::string Root::DirPath(int dir_fd, const std::string& dir_path) {
  // One readlink when /proc is mounted (it is in the initramfs)...
  if (!real_dir_.empty()) {
    std::string link = ReadLinkAt(AT_FDCWD, ("/proc/self/fd/" + std::to_string(dir_fd)).c_str());
    if (real_dir_ == "/" && !link.empty() && link[0] == '/') return link;
    if (link.compare(0, real_dir_.size(), real_dir_) == 0) {
      std::string rest = link.substr(real_dir_.size());
      if (rest.empty()) return "/";
      if (rest[0] == '/') return rest;
    }
  }
  // ...otherwise the walk, with the same semantics, finds it again.
  return Resolve(dir_path);
}

Location Root::LocateOpenat2(const std::string& clean) {
  std::vector<std::string> comps = Components(clean);
  Fd dir(Openat2(fd_.get(), Relative(comps, comps.size() - 1), O_PATH | O_DIRECTORY));
  if (!dir) {
    if (errno == ENOENT) return Location{};
    throw Failure("resolving").Path(Display(clean)).Errno(errno);
  }
  std::string dir_path = DirPath(dir.get(), Relative(comps, comps.size() - 1));
  std::string full = dir_path == "/" ? "/" + comps.back() : dir_path + "/" + comps.back();
  return Location{std::move(dir), comps.back(), std::move(full)};
}

Location Root::FromWalk(Walked& w) {
  std::string full = JoinAbsolute(w.stack);
  full = full == "/" ? "/" + w.name : full + "/" + w.name;
  return Location{std::move(w.dir), std::move(w.name), std::move(full)};
}

std::optional<Location> Root::Find(std::string_view path) {
  std::string clean = CleanNonRoot(path);
  if (resolver_ == Resolver::kOpenat2) {
    Location at = LocateOpenat2(clean);
    if (!at.dir) return std::nullopt;
    return at;
  }
  Walked w = Walk(clean, false, false);
  if (w.error == ENOENT) return std::nullopt;
  if (w.error != 0) throw Failure("resolving").Path(Display(clean)).Errno(w.error);
  return FromWalk(w);
}

Location Root::Locate(std::string_view path, bool create_parents) {
  std::string clean = CleanNonRoot(path);
  if (resolver_ == Resolver::kOpenat2) {
    Location at = LocateOpenat2(clean);
    if (at.dir) return at;
    if (!create_parents) throw Failure("resolving").Path(Display(clean)).Errno(ENOENT);
    // A directory is missing: the walk, with the same semantics, creates it.
  }
  Walked w = Walk(clean, false, create_parents);
  if (w.error != 0) throw Failure("resolving").Path(Display(clean)).Errno(w.error);
  return FromWalk(w);
}

std::string Root::CleanNonRoot(std::string_view path) const {
  std::string clean = CleanPath("/" + std::string(path));
  if (clean == "/") throw Failure("refusing to operate on").Path(Display("/")).Cause("it is the root directory");
  return clean;
}

std::optional<struct stat> Root::Lstat(const Location& at) {
  struct stat st;
  if (::fstatat(at.dir.get(), at.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return st;
  if (errno == ENOENT) return std::nullopt;
  throw Failure("lstat").Path(Display(at.path)).Errno(errno);
}

std::optional<struct stat> Root::Lstat(std::string_view path) {
  std::optional<Location> at = Find(path);
  if (!at) return std::nullopt;
  return Lstat(*at);
}

std::optional<struct stat> Root::Stat(std::string_view path) {
  std::string clean = CleanPath("/" + std::string(path));
  struct stat st;
  std::vector<std::string> comps = Components(clean);
  if (resolver_ == Resolver::kOpenat2) {
    Fd fd(Openat2(fd_.get(), Relative(comps, comps.size()), O_PATH));
    if (!fd) {
      if (errno == ENOENT) return std::nullopt;
      throw Failure("stat").Path(Display(clean)).Errno(errno);
    }
    if (::fstat(fd.get(), &st) != 0) throw Failure("stat").Path(Display(clean)).Errno(errno);
    return st;
  }
  Walked w = Walk(clean, true, false);
  if (w.error == ENOENT) return std::nullopt;
  if (w.error != 0) throw Failure("stat").Path(Display(clean)).Errno(w.error);
  if (w.name.empty()) {
    if (::fstat(w.dir.get(), &st) != 0) throw Failure("stat").Path(Display(clean)).Errno(errno);
    return st;
  }
  if (::fstatat(w.dir.get(), w.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return st;
  if (errno == ENOENT) return std::nullopt;
  throw Failure("stat").Path(Display(clean)).Errno(errno);
}

std::optional<std::string> Root::ReadFile(std::string_view path) {
  std::string clean = CleanPath("/" + std::string(path));
  Fd fd;
  if (resolver_ == Resolver::kOpenat2) {
    std::vector<std::string> comps = Components(clean);
    fd.Reset(Openat2(fd_.get(), Relative(comps, comps.size()), O_RDONLY));
  } else {
    Walked w = Walk(clean, true, false);
    if (w.error != 0) {
      errno = w.error;
    } else if (w.name.empty()) {
      errno = EISDIR;
    } else {
      fd.Reset(::openat(w.dir.get(), w.name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    }
  }
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    throw Failure("reading").Path(Display(clean)).Errno(errno);
  }
  std::string bytes;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n == 0) return bytes;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Failure("reading").Path(Display(clean)).Errno(errno);
    }
    bytes.append(buf, static_cast<size_t>(n));
  }
}

void Root::RecordChanged(const std::string& path) {
  if (changed_set_.insert(path).second) changed_.push_back(path);
}

void Root::Sync() {
  Fd fd(::openat(fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd || ::syncfs(fd.get()) != 0) throw Failure("syncing the filesystem of").Path(dir_.string()).Errno(errno);
}

}  // namespace flint::agent
