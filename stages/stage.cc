#include "stages/stage.h"

namespace flint::stages {

const std::vector<std::string_view>& StageNames() {
  static const std::vector<std::string_view> kNames = {
      "fetch-offline", "fetch", "kargs", "disks", "mount", "files", "umount"};
  return kNames;
}

}  // namespace flint::stages
