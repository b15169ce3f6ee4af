// What blkid (`blkid -p -o export`, low-level probing, no cache) finds on a
// device: the filesystems and LUKS steps decide from it whether to keep what
// is there.
#pragma once

#include <string>
#include <vector>

#include "agent/stage_context.h"

namespace flint::stages {

struct Signature {
  std::string type;  // "" when there is no signature
  std::string label;
  std::string uuid;
  bool operator==(const Signature&) const = default;
};

struct Probe : Signature {
  // Several signatures, none chosen (blkid exit 8); `found` lists them.
  bool ambivalent = false;
  std::vector<Signature> found;
  bool operator==(const Probe&) const = default;
};

// Parses `blkid -p -o export` output (KEY=value lines). Pure.
Probe ParseBlkidExport(const std::string& out);

// Parses `wipefs --no-act --json` output: every signature on a device. Pure;
// throws agent::Failure on malformed output.
std::vector<Signature> ParseWipefsJson(const std::string& out);

// Runs blkid on `device` (and, when blkid finds it ambivalent, wipefs to
// list the signatures); throws agent::Failure naming it and `field` when
// blkid fails for another reason than "nothing found" or "ambivalent".
Probe ProbeDevice(agent::StageContext& ctx, const std::string& device, const std::string& field);

}  // namespace flint::stages
