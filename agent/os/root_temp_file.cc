// Atomic files under the root: a hidden temp file beside the target,
// renamed over it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "agent/error.h"
#include "agent/os/root.h"

namespace flint::agent {
namespace {

std::string TempName() {
  static std::mt19937_64 rng{std::random_device{}()};
  static const char kHex[] = "0123456789abcdef";
  std::string name = ".flint.";
  uint64_t r = rng();
  for (int i = 0; i < 12; ++i, r >>= 4) name += kHex[r & 15];
  return name + ".tmp";
}

}  // namespace

void Root::WriteFile(std::string_view path, std::string_view bytes, mode_t mode, uid_t uid, gid_t gid) {
  RootTempFile file(*this, Locate(path, true));
  file.Write(bytes);
  file.Commit(uid, gid, mode);
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
