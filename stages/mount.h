// The mount and umount stages: filesystems with a `path` are mounted under
// -root, shallowest first, with their mountOptions (libmount); umount
// unmounts them deepest first. Formats swap, none and empty are skipped.
// Mountpoint directories the mount stage creates (0755) are recorded in the
// state (notatedDirectories) for the files stage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/stage_context.h"
#include "schema/model.h"

namespace flint::stages {

struct PlannedMount {
  std::string device;
  std::string path;     // inside the root, cleaned
  std::string format;
  std::string options;  // mountOptions joined with ','
  bool operator==(const PlannedMount&) const = default;
};

// The filesystems to mount, shallowest path first (config order among equal
// depths). Pure.
std::vector<PlannedMount> PlanMounts(const schema::Config& config);

void RunMount(agent::StageContext& ctx);
void RunUmount(agent::StageContext& ctx);

}  // namespace flint::stages
