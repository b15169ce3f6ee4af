#include "agent/os/files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "agent/error.h"
#include "agent/os/fd.h"

namespace flint::agent {
namespace {

std::optional<std::string> Read(const std::filesystem::path& path, std::string_view what,
                                bool missing_ok) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (missing_ok && errno == ENOENT) return std::nullopt;
    throw Failure(std::string(what)).Path(path.string()).Errno(errno);
  }
  std::string bytes;
  // One allocation of the right size for a regular file: growing by doubling
  // holds two buffers at once and leaves up to half of the last one unused.
  struct stat st;
  if (::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    bytes.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Failure(std::string(what)).Path(path.string()).Errno(errno);
    }
    bytes.append(buf, static_cast<size_t>(n));
  }
  return bytes;
}

}  // namespace

std::string ReadFile(const std::filesystem::path& path, std::string_view what) {
  return *Read(path, what, false);
}

std::optional<std::string> ReadFileIfExists(const std::filesystem::path& path, std::string_view what) {
  return Read(path, what, true);
}

std::optional<MappedFile> MappedFile::OpenIfExists(const std::filesystem::path& path, std::string_view what) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    throw Failure(std::string(what)).Path(path.string()).Errno(errno);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) throw Failure(std::string(what)).Path(path.string()).Errno(errno);
  if (S_ISDIR(st.st_mode)) throw Failure(std::string(what)).Path(path.string()).Errno(EISDIR);
  if (!S_ISREG(st.st_mode)) throw Failure(std::string(what)).Path(path.string()).Cause("not a regular file");
  if (st.st_size == 0) return MappedFile(nullptr, 0);
  void* data = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (data == MAP_FAILED) throw Failure(std::string(what)).Path(path.string()).Errno(errno);
  ::madvise(data, static_cast<size_t>(st.st_size), MADV_SEQUENTIAL);
  return MappedFile(static_cast<char*>(data), static_cast<size_t>(st.st_size));
}

MappedFile::MappedFile(MappedFile&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

void MappedFile::ReleaseBefore(size_t offset) {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  size_t length = std::min(offset, size_) / page * page;
  if (data_ != nullptr && length > 0) ::madvise(data_, length, MADV_DONTNEED);
}

void MakeDirectories(const std::filesystem::path& dir, mode_t mode, std::string_view what) {
  if (dir.empty()) return;
  std::filesystem::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), mode) == 0) {
      ::chmod(partial.c_str(), mode);  // not narrowed by the umask
      continue;
    }
    if (errno != EEXIST) throw Failure(std::string(what)).Path(partial.string()).Errno(errno);
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) throw Failure(std::string(what)).Path(dir.string()).Errno(errno);
  if (!S_ISDIR(st.st_mode)) throw Failure(std::string(what)).Path(dir.string()).Errno(ENOTDIR);
}

void TouchFile(const std::filesystem::path& path, std::string_view what) {
  MakeDirectories(path.parent_path(), 0755, what);
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) throw Failure(std::string(what)).Path(path.string()).Errno(errno);
}

}  // namespace flint::agent
