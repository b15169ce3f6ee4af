// Software RAID for the disks stage: `mdadm --create` with upstream
// Ignition's arguments, then a bounded wait for /dev/md/<name>.
#pragma once

#include <string>
#include <vector>

#include "agent/os/runner.h"
#include "agent/stage_context.h"
#include "schema/model.h"
#include "schema/path.h"

namespace flint::stages {

// mdadm --create NAME --force --run --homehost any --level L
//   --raid-devices N-spares [--spare-devices S] OPTIONS... DEVICES...
// `devices` are the member devices as resolved (same order as the config). Pure.
agent::Argv MdadmCreateArgv(const std::string& mdadm, const schema::Raid& raid,
                            const std::vector<std::string>& devices);

// Creates every array of the config, in order, waiting for members first.
void CreateRaids(agent::StageContext& ctx);

}  // namespace flint::stages
