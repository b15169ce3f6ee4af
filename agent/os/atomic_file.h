// Atomic replacement of a file: the bytes go to a temp file in the same
// directory, which is fsynced and renamed over the target, and the directory
// is fsynced. Readers see the old file or the new one, never a mix; the temp
// file is removed on any failure. Failures throw agent::Failure.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "agent/os/fd.h"

namespace flint::agent {

// Writes `bytes` to `path` atomically with exactly `mode` (umask ignored).
// The parent directory must exist.
void WriteFileAtomic(const std::filesystem::path& path, std::string_view bytes, mode_t mode);

// The same, in steps: the temp file exists from construction until Commit()
// renames it over the target; destroying an uncommitted AtomicFile removes
// the temp file and leaves the target untouched.
class AtomicFile {
 public:
  AtomicFile(std::filesystem::path path, mode_t mode);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  void Write(std::string_view bytes);
  // fsync, rename over the target, fsync the directory.
  void Commit();

  const std::filesystem::path& temp_path() const { return temp_path_; }

 private:
  void Discard() noexcept;

  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  mode_t mode_;
  Fd fd_;
  bool committed_ = false;
};

}  // namespace flint::agent
