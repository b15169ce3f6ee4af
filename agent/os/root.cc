#include "agent/os/root.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <cstdlib>
#include <deque>
#include <random>

#include "agent/error.h"

namespace flint::agent {
namespace {

// Linux's own limit on symlinks followed in one lookup.
constexpr int kMaxSymlinks = 40;
// openat2 returns EAGAIN when a rename raced the lookup.
constexpr int kOpenat2Retries = 8;

std::vector<std::string> Components(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view c = path.substr(i, j - i);
    if (!c.empty() && c != ".") out.emplace_back(c);
    i = j + 1;
  }
  return out;
}

std::string JoinAbsolute(const std::vector<std::string>& comps) {
  std::string out;
  for (const std::string& c : comps) out += "/" + c;
  return out.empty() ? "/" : out;
}

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

Fd DupCloexec(int fd) { return Fd(::fcntl(fd, F_DUPFD_CLOEXEC, 0)); }

std::string ReadLinkAt(int dir, const char* name) {
  std::string buf(256, '\0');
  for (;;) {
    ssize_t n = ::readlinkat(dir, name, buf.data(), buf.size());
    if (n < 0) return {};
    if (static_cast<size_t>(n) < buf.size()) return buf.substr(0, static_cast<size_t>(n));
    buf.resize(buf.size() * 2);
  }
}

std::string TempName() {
  static std::mt19937_64 rng{std::random_device{}()};
  static const char kHex[] = "0123456789abcdef";
  std::string name = ".flint.";
  uint64_t r = rng();
  for (int i = 0; i < 12; ++i, r >>= 4) name += kHex[r & 15];
  return name + ".tmp";
}

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

std::string CleanPath(std::string_view path) {
  bool rooted = !path.empty() && path[0] == '/';
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view c = path.substr(i, j - i);
    i = j + 1;
    if (c.empty() || c == ".") continue;
    if (c == "..") {
      if (!out.empty() && out.back() != "..") {
        out.pop_back();
      } else if (!rooted) {
        out.emplace_back("..");
      }
      continue;
    }
    out.emplace_back(c);
  }
  std::string s;
  for (const std::string& c : out) s += (s.empty() ? "" : "/") + c;
  if (rooted) return "/" + s;
  return s.empty() ? "." : s;
}

// The outcome of a walk: the directory that holds the last component, or
// the errno that stopped it.
struct Root::Walked {
  int error = 0;
  Fd dir;
  std::string name;                  // "" when the path is the root itself
  std::vector<std::string> stack;    // where `dir` is, from the root
  std::vector<std::string> missing;  // with ENOENT: the components from the missing one on
};

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

Root::Walked Root::Walk(std::string_view path, bool follow_last, bool create_parents) {
  Walked w;
  std::deque<std::string> todo;
  for (std::string& c : Components(CleanPath("/" + std::string(path)))) todo.push_back(std::move(c));
  Fd cur = DupCloexec(fd_.get());
  std::vector<std::string> stack;
  int links = 0;
  auto fail = [&](int err) {
    w.error = err;
    w.stack = stack;
    return std::move(w);
  };
  auto done = [&](std::string name) {
    w.dir = std::move(cur);
    w.name = std::move(name);
    w.stack = stack;
    return std::move(w);
  };
  for (;;) {
    if (!cur) return fail(errno);
    if (todo.empty()) {
      // The path ends on the directory `cur` (a symlink to "..", say).
      if (stack.empty()) return done("");
      std::string name = stack.back();
      stack.pop_back();
      cur = stack.empty() ? DupCloexec(fd_.get()) : Fd(::openat(cur.get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
      if (!cur) return fail(errno);
      return done(std::move(name));
    }
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (c == "..") {
      // Never above the root: the root is its own parent, as with RESOLVE_IN_ROOT.
      if (!stack.empty()) {
        stack.pop_back();
        cur = stack.empty() ? DupCloexec(fd_.get()) : Fd(::openat(cur.get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
      }
      continue;
    }
    bool last = todo.empty();
    if (last && !follow_last) return done(std::move(c));
    Fd next(::openat(cur.get(), c.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!next && errno == ENOENT && last) return done(std::move(c));
    if (!next && errno == ENOENT && create_parents) {
      if (::mkdirat(cur.get(), c.c_str(), 0755) == 0) {
        // Exactly 0755 root:root, whatever the umask or a setgid parent say.
        if (::geteuid() == 0) ::fchownat(cur.get(), c.c_str(), 0, 0, AT_SYMLINK_NOFOLLOW);
        ::fchmodat(cur.get(), c.c_str(), 0755, 0);
        std::vector<std::string> created = stack;
        created.push_back(c);
        RecordChanged(JoinAbsolute(created));
      } else if (errno != EEXIST) {
        return fail(errno);
      }
      next.Reset(::openat(cur.get(), c.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    }
    if (!next) {
      int err = errno;
      w.missing.push_back(c);
      w.missing.insert(w.missing.end(), todo.begin(), todo.end());
      return fail(err);
    }
    struct stat st;
    if (::fstat(next.get(), &st) != 0) return fail(errno);
    if (S_ISLNK(st.st_mode)) {
      if (++links > kMaxSymlinks) return fail(ELOOP);
      std::string target = ReadLinkAt(next.get(), "");
      if (target.empty()) return fail(ENOENT);
      std::vector<std::string> parts;
      // ".." must stay a component: it is resolved against the real parent.
      size_t i = 0;
      while (i <= target.size()) {
        size_t j = target.find('/', i);
        if (j == std::string::npos) j = target.size();
        std::string part = target.substr(i, j - i);
        if (!part.empty() && part != ".") parts.push_back(std::move(part));
        i = j + 1;
      }
      todo.insert(todo.begin(), parts.begin(), parts.end());
      if (target[0] == '/') {
        stack.clear();
        cur = DupCloexec(fd_.get());
      }
      continue;
    }
    if (last) return done(std::move(c));
    if (!S_ISDIR(st.st_mode)) return fail(ENOTDIR);
    stack.push_back(std::move(c));
    cur = std::move(next);
  }
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

std::string Root::Resolve(std::string_view path) {
  std::string clean = CleanPath("/" + std::string(path));
  if (clean == "/") return clean;
  Walked w = Walk(clean, false, false);
  if (w.error == ENOENT) {
    std::vector<std::string> all = w.stack;
    all.insert(all.end(), w.missing.begin(), w.missing.end());
    std::string joined;
    for (const std::string& c : all) joined += "/" + c;
    return CleanPath("/" + joined);
  }
  if (w.error != 0) throw Failure("resolving").Path(Display(clean)).Errno(w.error);
  std::vector<std::string> all = w.stack;
  if (!w.name.empty()) all.push_back(w.name);
  return JoinAbsolute(all);
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

void Root::WriteFile(std::string_view path, std::string_view bytes, mode_t mode, uid_t uid, gid_t gid) {
  RootTempFile file(*this, Locate(path, true));
  file.Write(bytes);
  file.Commit(uid, gid, mode);
}

void Root::RecordChanged(const std::string& path) {
  if (changed_set_.insert(path).second) changed_.push_back(path);
}

void Root::Sync() {
  Fd fd(::openat(fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd || ::syncfs(fd.get()) != 0) throw Failure("syncing the filesystem of").Path(dir_.string()).Errno(errno);
}

RootTempFile::RootTempFile(Root& root, Location at) : root_(root), at_(std::move(at)) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = TempName();
    fd_.Reset(::openat(at_.dir.get(), name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd_) {
      temp_name_ = std::move(name);
      return;
    }
    if (errno != EEXIST) break;
  }
  throw Failure("creating a temporary file for").Path(root_.Display(at_.path)).Errno(errno);
}

RootTempFile::~RootTempFile() {
  if (!committed_) Discard();
}

void RootTempFile::Discard() noexcept {
  fd_.Reset();
  if (!temp_name_.empty()) ::unlinkat(at_.dir.get(), temp_name_.c_str(), 0);
  temp_name_.clear();
}

void RootTempFile::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Failure("writing").Path(root_.Display(at_.path)).Errno(errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
    size_ += n;
  }
}

void RootTempFile::CopyFrom(int fd) {
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Failure("reading the existing").Path(root_.Display(at_.path)).Errno(errno);
    }
    Write(std::string_view(buf, static_cast<size_t>(n)));
  }
}

void RootTempFile::Truncate(off_t size) {
  if (::ftruncate(fd_.get(), size) != 0 || ::lseek(fd_.get(), size, SEEK_SET) < 0) {
    throw Failure("writing").Path(root_.Display(at_.path)).Errno(errno);
  }
  size_ = size;
}

void RootTempFile::Commit(uid_t uid, gid_t gid, mode_t mode) {
  std::string where = root_.Display(at_.path);
  if (::fchown(fd_.get(), uid, gid) != 0) {
    throw Failure("changing the owner of").Path(where).Cause(
        std::string(std::strerror(errno)) + " (to " + std::to_string(uid) + ":" + std::to_string(gid) + ")");
  }
  if (::fchmod(fd_.get(), mode) != 0) throw Failure("changing the mode of").Path(where).Errno(errno);
  if (::fsync(fd_.get()) != 0) throw Failure("syncing").Path(where).Errno(errno);
  if (::renameat(at_.dir.get(), temp_name_.c_str(), at_.dir.get(), at_.name.c_str()) != 0) {
    throw Failure("renaming the temporary file over").Path(where).Errno(errno);
  }
  committed_ = true;
  fd_.Reset();
  root_.RecordChanged(at_.path);
}

}  // namespace flint::agent
