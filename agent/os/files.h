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

// mkdir -p with `mode` for the directories it creates; existing ones are
// left as they are.
void MakeDirectories(const std::filesystem::path& dir, mode_t mode, std::string_view what);

// Creates `path` (empty) if it does not exist, and its directory (0755).
void TouchFile(const std::filesystem::path& path, std::string_view what);

}  // namespace flint::agent
