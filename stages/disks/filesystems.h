// Filesystems for the disks stage, as upstream Ignition makes them: an
// existing filesystem is kept when wipeFilesystem is false and blkid shows
// the same format (and label and UUID when the config gives them); any other
// existing signature without wipeFilesystem is refused; otherwise the device
// is wiped (`wipefs -a`) and mkfs'ed. Format "none" only wipes.
#pragma once

#include <optional>
#include <string>

#include "agent/os/runner.h"
#include "agent/stage_context.h"
#include "schema/model.h"
#include "stages/disks/probe.h"

namespace flint::stages {

// The UUID as compared: lower case, and without '-' for vfat. Pure.
std::string CanonicalUuid(const std::string& format, const std::string& uuid);

// "" when `probe` is the filesystem `fs` asks for, else what differs, e.g.
// `type "xfs" (want "ext4")`. Pure.
std::string FilesystemMismatch(const schema::Filesystem& fs, const Signature& probe);

// The mkfs command for fs.format on `device`, tool paths from `env`; nullopt
// for "none". Throws agent::Failure for an unknown format. Pure but for the
// tool lookup.
std::optional<agent::Argv> MkfsArgv(const schema::Filesystem& fs, const std::string& device, const agent::Env& env);

// Creates (or keeps) every filesystem of the config that has a format.
void CreateFilesystems(agent::StageContext& ctx);

}  // namespace flint::stages
