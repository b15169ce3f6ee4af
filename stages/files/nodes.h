// The nodes step of the files stage: storage.directories, storage.files and
// storage.links created in the target with upstream's semantics — creation
// order, overwrite rules per kind, contents and appends through the fetcher
// written atomically, modes, owners by id or by name.
#pragma once

#include <vector>

#include "agent/os/root.h"
#include "agent/stage_context.h"
#include "stages/files/nodes_order.h"

namespace flint::stages {

// Creates every node of ctx.config.storage under `root`. Throws
// agent::Failure naming the operation, the path, the field and the cause.
void CreateNodes(agent::StageContext& ctx, agent::Root& root);

// Fills in each entry's `resolved` path (symlinks in the target followed
// inside the root) and refuses two entries that land on the same place,
// naming both fields — before anything is written.
void ResolveDistinct(std::vector<NodeEntry>& entries, agent::Root& root);

}  // namespace flint::stages
