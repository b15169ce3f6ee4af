// Reading from a filesystem found by its label, mounted read-only for just
// as long as that takes (config drives, ignition.config.device). The label
// directory is /dev/disk/by-label, or FLINT_DISK_BY_LABEL_DIR for tests;
// mounting runs the tools table's `mount` and `umount` through a Runner.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "agent/log.h"
#include "agent/os/env.h"
#include "agent/os/runner.h"

namespace flint::agent {

// /dev/disk/by-label, or the FLINT_DISK_BY_LABEL_DIR override.
std::filesystem::path DiskByLabelDir(const Env& env);

// The path of `label` in DiskByLabelDir. Throws agent::Failure for a label
// that is not a single path component ("invalid device label").
std::filesystem::path LabelPath(const Env& env, std::string_view label);

// `mount -o ro -t auto DEVICE DIR` (as upstream), argv only. Pure.
Argv ReadOnlyMountArgv(const Env& env, const std::string& device, const std::filesystem::path& dir);

// Makes a temporary directory, mounts `device` there read-only, calls
// fn(dir), then unmounts and removes the directory, also when fn throws.
// A failed mount throws agent::Failure with the command and its stderr; a
// failed unmount is logged as a warning.
void WithReadOnlyMount(Runner& runner, const Env& env, Log& log, const std::string& device,
                       const std::function<void(const std::filesystem::path&)>& fn);

}  // namespace flint::agent
