// The stages flint runs, one per process: fetch-offline, fetch, kargs,
// disks, mount, files, umount.
#pragma once

#include <string_view>
#include <vector>

namespace flint::stages {

// The stage names, in boot order.
const std::vector<std::string_view>& StageNames();

}  // namespace flint::stages
