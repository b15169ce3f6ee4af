// The files stage's passwd step: passwd.groups, then passwd.users, through
// the shadow tools with --root (argv from passwd_argv.h), deletions for
// shouldExist: false, SSH keys into the user's home, and the mount stage's
// directories inside a home handed to the user. Throws agent::Failure.
#pragma once

#include <string>
#include <string_view>

#include "agent/os/env.h"
#include "agent/os/root.h"
#include "agent/stage_context.h"
#include "stages/files/relabel.h"

namespace flint::stages {

// Groups then users; appends what it touched to `changed`.
void WriteUsersAndGroups(agent::StageContext& ctx, agent::Root& root);

// Where sshAuthorizedKeys go, relative to the home directory:
// ".ssh/authorized_keys.d/ignition", or ".ssh/authorized_keys" when
// IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT is false/0. Throws on a value
// that is not a boolean.
std::string AuthorizedKeysFile(const agent::Env& env);

// The keys, one per line, ending with a newline. Pure.
std::string AuthorizedKeysText(const std::vector<std::string>& keys);

// True when `dir` is `home` or inside it (both clean absolute paths). Pure.
bool IsInHome(std::string_view dir, std::string_view home);

}  // namespace flint::stages
