// The system configs shipped with the OS image: base configs in `base.d/`
// and `base.platform.d/<platform>/`, and a user config `user.ign`, searched in
// three directories, highest priority first:
//   /run/ignition      (IGNITION_SYSTEM_RUNTIME_CONFIG_DIR)  runtime
//   /etc/ignition      (IGNITION_SYSTEM_LOCAL_CONFIG_DIR)    local admin
//   /usr/lib/ignition  (IGNITION_SYSTEM_CONFIG_DIR)          vendor
// For base fragments the highest-priority file of each name wins and the
// winners are merged in sorted name order; for user.ign the first directory
// that has one wins (as upstream Ignition's docs/distributor-notes.md says).
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "agent/log.h"
#include "agent/os/env.h"
#include "schema/model.h"

namespace flint::agent {

// The three directories, highest priority first, with env overrides.
std::vector<std::filesystem::path> SystemConfigDirs(const Env& env);

// The fragments in `subdir` of each of `dirs`: one path per file name (from
// the highest-priority directory that has it), sorted by name. Directories
// that do not exist are skipped; subdirectories are ignored.
std::vector<std::filesystem::path> FindFragments(const std::vector<std::filesystem::path>& dirs,
                                                 const std::filesystem::path& subdir);

// The user.ign of the highest-priority directory that has one.
std::optional<std::filesystem::path> FindUserConfig(const std::vector<std::filesystem::path>& dirs);

struct BaseConfig {
  schema::Config config;  // empty when there are no fragments
  std::vector<std::filesystem::path> fragments;  // the files merged, in order
};

// Merges base.d, then base.platform.d/<platform>. A base.d fragment that
// cannot be read or parsed (or is empty) throws agent::Failure. Problems
// in base.platform.d are logged and that directory is ignored, as upstream
// does.
BaseConfig LoadBaseConfig(const std::vector<std::filesystem::path>& dirs, std::string_view platform,
                          Log& log);

}  // namespace flint::agent
