// SELinux relabelling of what flint created or changed under the root, and
// nothing else: upstream relabels whole trees and users lose minutes to it.
// When the target has no policy (<root>/etc/selinux/config missing, or no
// SELINUXTYPE, or that policy's file_contexts missing) nothing is done.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/os/root.h"
#include "agent/os/runner.h"
#include "agent/stage_context.h"

namespace flint::stages {

// Target paths a step created or changed. Entries may be shell globs
// ("/etc/passwd*"), which setfiles expands.
using ChangedPaths = std::vector<std::string>;

// SELINUXTYPE= from the text of /etc/selinux/config (comments and blank
// lines skipped, surrounding quotes dropped); nullopt when absent or empty.
// Pure.
std::optional<std::string> SelinuxTypeFromConfig(std::string_view config);

// setfiles -vF0 -r ROOT ROOT/etc/selinux/POLICY/contexts/files/file_contexts -f -
// (the paths come on stdin, NUL-terminated). Pure.
agent::Argv SetfilesArgv(const std::string& setfiles, const std::string& root, const std::string& policy);

// The stdin for setfiles: each path under the root (root-prefixed),
// deduplicated and sorted, each followed by NUL. Pure.
std::string SetfilesInput(const std::string& root, const ChangedPaths& paths);

// The policy to relabel with, or nullopt (logged) when there is none.
std::optional<std::string> TargetSelinuxPolicy(agent::Root& root, agent::Log& log);

// Relabels `paths` (under `root`; the files stage passes root.changed())
// with setfiles when the target has a policy; a no-op when `paths` is empty
// or there is no policy. Throws agent::Failure naming
// setfiles and its stderr when it fails.
void Relabel(agent::StageContext& ctx, agent::Root& root, const ChangedPaths& paths);

}  // namespace flint::stages
