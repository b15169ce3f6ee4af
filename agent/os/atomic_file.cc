#include "agent/os/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "agent/error.h"

namespace flint::agent {
namespace {

std::filesystem::path ParentOf(const std::filesystem::path& path) {
  std::filesystem::path dir = path.parent_path();
  return dir.empty() ? std::filesystem::path(".") : dir;
}

Failure WriteFailure(const std::filesystem::path& path, int err) {
  return Failure("writing").Path(path.string()).Errno(err);
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path path, mode_t mode)
    : path_(std::move(path)), mode_(mode) {
  // A hidden name beside the target, so the rename stays on one filesystem.
  std::string tmpl = (ParentOf(path_) / ("." + path_.filename().string() + ".XXXXXX")).string();
  int fd = mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) throw WriteFailure(path_, errno);
  fd_.Reset(fd);
  temp_path_ = tmpl;
  if (fchmod(fd_.get(), mode_) != 0) {
    int err = errno;
    Discard();
    throw WriteFailure(path_, err);
  }
}

AtomicFile::~AtomicFile() {
  if (!committed_) Discard();
}

void AtomicFile::Discard() noexcept {
  fd_.Reset();
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
  temp_path_.clear();
}

void AtomicFile::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      Discard();
      throw WriteFailure(path_, err);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void AtomicFile::Commit() {
  if (::fsync(fd_.get()) != 0 || ::close(fd_.Release()) != 0) {
    int err = errno;
    Discard();
    throw WriteFailure(path_, err);
  }
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    Discard();
    throw Failure("renaming '" + temp_path_.string() + "' to").Path(path_.string()).Errno(err);
  }
  committed_ = true;
  // Make the rename itself durable.
  Fd dir(::open(ParentOf(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir || ::fsync(dir.get()) != 0) {
    throw Failure("syncing the directory of").Path(path_.string()).Errno(errno);
  }
}

void WriteFileAtomic(const std::filesystem::path& path, std::string_view bytes, mode_t mode) {
  AtomicFile file(path, mode);
  file.Write(bytes);
  file.Commit();
}

}  // namespace flint::agent
