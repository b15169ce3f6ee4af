// The files stage's LUKS step: one /etc/crypttab line per volume the disks
// stage recorded in the state, and their key files (from the state) written
// 0600 under /etc/luks (0700). The keys are then dropped from the state so
// they never reach the running system's /run. Throws agent::Failure.
#pragma once

#include <string>

#include "agent/os/root.h"
#include "agent/stage_context.h"
#include "agent/state.h"
#include "stages/files/relabel.h"

namespace flint::stages {

// "<name> UUID=<uuid> <keyFile> <options,...>\n" ("none" when there is no
// key file, "luks" when there are no options). Pure.
std::string CrypttabLine(const agent::LuksVolume& volume);

// The key bytes from a state value: a data URL (upstream's form); nullopt
// when it is malformed. Pure.
std::optional<std::string> KeyFromState(const std::string& value);

// Appends the lines to <root>/etc/crypttab (mode 0600) and writes the keys.
void WriteCrypttab(agent::StageContext& ctx, agent::Root& root);

}  // namespace flint::stages
