// Reading the target's /etc/passwd and /etc/group text directly (no chroot,
// no NSS): the shadow tools flint runs with --root edit exactly these files.
// Pure.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace flint::stages {

struct PasswdEntry {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
  bool operator==(const PasswdEntry&) const = default;
};

// The line of /etc/passwd for `name`; nullopt when absent. Malformed lines
// (too few fields, non-numeric ids) are skipped.
std::optional<PasswdEntry> FindUser(std::string_view passwd, std::string_view name);

// The id of group `name` in /etc/group; nullopt when absent.
std::optional<gid_t> FindGroup(std::string_view group, std::string_view name);

}  // namespace flint::stages
