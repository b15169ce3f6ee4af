// Shared by root*.cc: path components, the walk's result, small fd helpers.
// Not part of Root's interface.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/os/fd.h"
#include "agent/os/root.h"

namespace flint::agent {

namespace root_internal {

// The components of `path`, without empty ones and ".": ".." is kept.
std::vector<std::string> Components(std::string_view path);
// "/a/b" from {"a", "b"}; "/" from {}.
std::string JoinAbsolute(const std::vector<std::string>& comps);
Fd DupCloexec(int fd);
// The target of a symlink; empty (errno set) on failure.
std::string ReadLinkAt(int dir, const char* name);

}  // namespace root_internal

// The outcome of a walk: the directory that holds the last component, or
// the errno that stopped it.
struct Root::Walked {
  int error = 0;
  Fd dir;
  std::string name;                  // "" when the path is the root itself
  std::vector<std::string> stack;    // where `dir` is, from the root
  std::vector<std::string> missing;  // with ENOENT: the components from the missing one on
};


}  // namespace flint::agent
