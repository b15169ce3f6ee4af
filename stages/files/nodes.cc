#include "stages/files/nodes.h"

#include <map>

#include "agent/error.h"
#include "stages/files/nodes_writer.h"
#include "stages/files/owners.h"

namespace flint::stages {

void ResolveDistinct(std::vector<NodeEntry>& entries, agent::Root& root) {
  std::map<std::string, const NodeEntry*> seen;
  for (NodeEntry& e : entries) {
    try {
      e.resolved = root.Resolve(e.path);
    } catch (agent::Failure& f) {
      throw f.Field(e.at.String());
    }
    auto [it, inserted] = seen.emplace(e.resolved, &e);
    if (inserted) continue;
    const NodeEntry& first = *it->second;
    throw agent::Failure("refusing to create " + std::string(KindName(e.kind)))
        .Path(root.Display(e.resolved))
        .Field(e.at.String())
        .Cause("its path '" + e.path + "' and the path '" + first.path + "' of " + first.at.String() +
               " resolve to the same place after following symlinks in the target");
  }
}

void CreateNodes(agent::StageContext& ctx, agent::Root& root) {
  std::vector<NodeEntry> entries = CollectNodes(ctx.config.storage);
  if (entries.empty()) return;
  ResolveDistinct(entries, root);
  entries = CreationOrder(std::move(entries));
  Owners owners(root);
  NodeWriter writer(root, ctx.fetcher, owners, ctx.log);
  for (const NodeEntry& e : entries) {
    ctx.log.Info("creating " + std::string(KindName(e.kind)) + " '" + e.path + "'",
                 {{"FLINT_FIELD", e.at.String()}});
    writer.Create(e);
  }
}

}  // namespace flint::stages
