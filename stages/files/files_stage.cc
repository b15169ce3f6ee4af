#include "stages/files/files_stage.h"

#include <string>

#include "agent/error.h"
#include "stages/files/crypttab.h"
#include "stages/files/nodes.h"
#include "stages/files/passwd.h"
#include "stages/files/relabel.h"
#include "stages/files/result.h"
#include "stages/files/units.h"

namespace flint::stages {
namespace {

// crypttab lines come from what the disks stage recorded: a config with LUKS
// volumes and no record means that stage did not run (or ran with another
// state file), and a node booted that way would not unlock its disks.
void CheckLuksRecorded(const agent::StageContext& ctx) {
  if (ctx.config.storage.luks.empty() || !ctx.state.luks_volumes.empty()) return;
  throw agent::Failure("writing /etc/crypttab")
      .Cause("the config has " + std::to_string(ctx.config.storage.luks.size()) +
             " storage.luks volume(s) but the state file '" + ctx.flags.state_file +
             "' records none: the disks stage did not run with this state file");
}

}  // namespace

void RunFiles(agent::StageContext& ctx) {
  CheckLuksRecorded(ctx);
  agent::Root root(ctx.flags.root, agent::Root::ResolverFromEnv(ctx.env));

  // Users and groups first, so that owners given by name resolve to users
  // this config creates.
  WriteUsersAndGroups(ctx, root);
  ctx.log.Step("creating files, directories and links", [&] { CreateNodes(ctx, root); });
  WriteUnits(ctx, root);
  WriteCrypttab(ctx, root);
  WriteResultFile(ctx, root);

  Relabel(ctx, root, root.changed());
  ctx.log.Step("syncing '" + ctx.flags.root + "'", [&] { root.Sync(); });
}

}  // namespace flint::stages
