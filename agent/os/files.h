// Small file helpers for flint's own files (caches, flags, state) — not for
// paths under the target root, which must go through root-aware code.
// Failures throw agent::Failure naming `what` and the path.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace flint::agent {

// The whole file; throws when it cannot be read.
std::string ReadFile(const std::filesystem::path& path, std::string_view what);

// The whole file, or nullopt when it does not exist.
std::optional<std::string> ReadFileIfExists(const std::filesystem::path& path, std::string_view what);

// A file mapped read-only, for reading a big file once from front to back
// (the config cache): ReleaseBefore() gives back the pages already read, so
// the whole file never counts in the process's memory at once. Pages given
// back read as the file again if touched. Move-only.
class MappedFile {
 public:
  // nullopt when the file does not exist; throws when it cannot be mapped.
  static std::optional<MappedFile> OpenIfExists(const std::filesystem::path& path, std::string_view what);
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {data_, size_}; }
  // Drops the whole pages before byte `offset` from memory.
  void ReleaseBefore(size_t offset);

 private:
  MappedFile(char* data, size_t size) : data_(data), size_(size) {}
  char* data_;
  size_t size_;
};

// mkdir -p with `mode` for the directories it creates; existing ones are
// left as they are.
void MakeDirectories(const std::filesystem::path& dir, mode_t mode, std::string_view what);

// Creates `path` (empty) if it does not exist, and its directory (0755).
void TouchFile(const std::filesystem::path& path, std::string_view what);

}  // namespace flint::agent
