#include "stages/stage.h"

#include <string>

#include "agent/error.h"
#include "stages/disks/disks_stage.h"
#include "stages/files/files_stage.h"
#include "stages/kargs.h"
#include "stages/mount.h"

namespace flint::stages {

const agent::StageTable& StageTable() {
  static const agent::StageTable kTable = {
      {"fetch-offline", RunFetchOffline},
      {"fetch", RunFetch},
      {"kargs", RunKargs},
      {"disks", RunDisks},
      {"mount", RunMount},
      {"files", RunFiles},
      {"umount", RunUmount},
  };
  return kTable;
}

const std::vector<std::string_view>& StageNames() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const agent::StageEntry& s : StageTable()) names.push_back(s.name);
    return names;
  }();
  return kNames;
}

}  // namespace flint::stages
