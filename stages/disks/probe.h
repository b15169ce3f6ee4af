// What blkid (`blkid -p -o export`, low-level probing, no cache) finds on a
// device: the filesystems and LUKS steps decide from it whether to keep what
// is there.
#pragma once

#include <string>

#include "agent/stage_context.h"

namespace flint::stages {

struct Probe {
  bool ambivalent = false;  // several signatures, none chosen (blkid exit 8)
  std::string type;         // "" when there is no signature
  std::string label;
  std::string uuid;
  bool operator==(const Probe&) const = default;
};

// Parses `blkid -p -o export` output (KEY=value lines). Pure.
Probe ParseBlkidExport(const std::string& out);

// Runs blkid on `device`; throws agent::Failure naming it and `field` when
// blkid fails for another reason than "nothing found" or "ambivalent".
Probe ProbeDevice(agent::StageContext& ctx, const std::string& device, const std::string& field);

}  // namespace flint::stages
