// The shadow-tool command lines for passwd.users and passwd.groups, as
// upstream Ignition builds them (internal/exec/util/passwd.go). Pure: the
// program paths come in, the argv goes out.
#pragma once

#include <string>

#include "agent/os/env.h"
#include "agent/os/runner.h"
#include "schema/model.h"

namespace flint::stages {

struct PasswdTools {
  std::string useradd, usermod, userdel, groupadd, groupmod, groupdel;
};

// The tool table's entries (FLINT_TOOL_USERADD=... overrides).
PasswdTools PasswdToolsFrom(const agent::Env& env);

// useradd --root R [--home-dir H] --create-home|--no-create-home
//   [--no-user-group] [--system] [--no-log-init] --password P [--uid N]
//   [--comment C] [--gid G] [--groups a,b] [--shell S] NAME
// (P: the hash, or "*" when it is unset or empty: no password login.)
agent::Argv UseraddArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdUser& user);

// usermod --root R [--home H --move-home] [--password P] [--uid N]
//   [--comment C] [--gid G] [--groups a,b] [--shell S] NAME
agent::Argv UsermodArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdUser& user);

// usermod --root R --password P NAME, run after either of the above when a
// passwordHash is set (upstream's SetPasswordHash); empty when it is not.
agent::Argv SetPasswordArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdUser& user);

// userdel --remove --root R NAME
agent::Argv UserdelArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdUser& user);

// groupadd --root R [--gid N] --password P [--system] NAME
agent::Argv GroupaddArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdGroup& group);

// groupmod --root R [--gid N] [--password P] NAME (an existing group).
agent::Argv GroupmodArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdGroup& group);

// groupdel --root R NAME
agent::Argv GroupdelArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdGroup& group);

// argv for messages: the value after --password is replaced by "<hidden>"
// unless it is "*", so hashes never reach the journal.
agent::Argv HidePasswords(agent::Argv argv);

}  // namespace flint::stages
