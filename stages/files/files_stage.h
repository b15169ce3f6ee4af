// The files stage: everything a config writes under -root, in upstream's
// order — users and groups, then files, directories and links (so owners
// by name resolve), then systemd units, crypttab, the result file, and the
// SELinux relabel of what was written.
#pragma once

#include "agent/os/root.h"
#include "agent/stage_context.h"

namespace flint::stages {

// The stage entry point (the stage table's "files").
void RunFiles(agent::StageContext& ctx);

}  // namespace flint::stages
