#include "stages/files/files_stage.h"

#include <string>

#include "agent/error.h"
#include "stages/files/nodes.h"

namespace flint::stages {
namespace {

// A step that is not written yet: a config that needs it fails rather than
// being half applied.
void Pending(bool needed, const std::string& what) {
  if (needed) throw agent::Failure::Message(what + " is not implemented yet");
}

}  // namespace

// Each step is `void Step(agent::StageContext&, agent::Root&)`; the hook
// points name the steps that land with the passwd/units branch.
void RunFiles(agent::StageContext& ctx) {
  const schema::Config& c = ctx.config;
  agent::Root root(ctx.flags.root, agent::Root::ResolverFromEnv(ctx.env));

  // [hook: passwd] groups, then users (CreatePasswd) — before the nodes, so
  // that owners given by name resolve to users this config creates.
  Pending(!c.passwd.users.empty() || !c.passwd.groups.empty(), "creating users and groups");

  ctx.log.Step("creating files, directories and links", [&] { CreateNodes(ctx, root); });

  // [hook: units] units, drop-ins, masks, presets (CreateUnits).
  Pending(!c.systemd.units.empty(), "writing systemd units");
  // [hook: crypttab] /etc/crypttab and LUKS key files (CreateCrypttab).
  Pending(!c.storage.luks.empty(), "writing /etc/crypttab");
  // [hook: result] /etc/.ignition-result.json (CreateResultFile).
  // [hook: relabel] setfiles on root.changed() when the target has a policy
  // (RelabelChanged).

  ctx.log.Step("syncing '" + ctx.flags.root + "'", [&] { root.Sync(); });
}

}  // namespace flint::stages
