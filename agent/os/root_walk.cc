// The component-by-component resolution inside the root: the fallback for
// kernels without openat2, and the resolver that creates missing
// directories and canonicalises paths in both modes.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <deque>

#include "agent/error.h"
#include "agent/os/root_internal.h"

namespace flint::agent {
namespace root_internal {

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

}  // namespace root_internal

using namespace root_internal;

namespace {

// Linux's own limit on symlinks followed in one lookup.
constexpr int kMaxSymlinks = 40;

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
      // ".." stays a component: it is resolved against the real parent.
      std::vector<std::string> parts = Components(target);
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

}  // namespace flint::agent
