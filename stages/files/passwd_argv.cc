#include "stages/files/passwd_argv.h"

#include "agent/os/tools.h"

namespace flint::stages {
namespace {

using agent::Argv;

void AddIfTrue(Argv& argv, const schema::OptBool& flag, const char* arg) {
  if (flag && *flag) argv.push_back(arg);
}

void AddIfSet(Argv& argv, const char* arg, const schema::OptString& value) {
  if (value && !value->empty()) {
    argv.push_back(arg);
    argv.push_back(*value);
  }
}

// An empty hash disables password login, as an unset one does for new users.
std::string PasswordOf(const schema::OptString& hash) { return hash && !hash->empty() ? *hash : "*"; }

std::string Join(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// The options useradd and usermod share, after the password.
void AddUserCommon(Argv& argv, const schema::PasswdUser& u) {
  if (u.uid) {
    argv.push_back("--uid");
    argv.push_back(std::to_string(*u.uid));
  }
  AddIfSet(argv, "--comment", u.gecos);
  AddIfSet(argv, "--gid", u.primary_group);
  if (!u.groups.empty()) {
    argv.push_back("--groups");
    argv.push_back(Join(u.groups, ','));
  }
  AddIfSet(argv, "--shell", u.shell);
  argv.push_back(u.name);
}

}  // namespace

PasswdTools PasswdToolsFrom(const agent::Env& env) {
  using agent::Tool;
  using agent::ToolPath;
  return {ToolPath(Tool::kUseradd, env),  ToolPath(Tool::kUsermod, env),  ToolPath(Tool::kUserdel, env),
          ToolPath(Tool::kGroupadd, env), ToolPath(Tool::kGroupmod, env), ToolPath(Tool::kGroupdel, env)};
}

Argv UseraddArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdUser& u) {
  Argv argv{tools.useradd, "--root", root};
  AddIfSet(argv, "--home-dir", u.home_dir);
  argv.push_back(u.no_create_home && *u.no_create_home ? "--no-create-home" : "--create-home");
  AddIfTrue(argv, u.no_user_group, "--no-user-group");
  AddIfTrue(argv, u.system, "--system");
  AddIfTrue(argv, u.no_log_init, "--no-log-init");
  argv.push_back("--password");
  argv.push_back(PasswordOf(u.password_hash));
  AddUserCommon(argv, u);
  return argv;
}

Argv UsermodArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdUser& u) {
  Argv argv{tools.usermod, "--root", root};
  if (u.home_dir && !u.home_dir->empty()) {
    argv.insert(argv.end(), {"--home", *u.home_dir, "--move-home"});
  }
  if (u.password_hash) {
    argv.push_back("--password");
    argv.push_back(PasswordOf(u.password_hash));
  }
  AddUserCommon(argv, u);
  return argv;
}

Argv SetPasswordArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdUser& u) {
  if (!u.password_hash) return {};
  return {tools.usermod, "--root", root, "--password", PasswordOf(u.password_hash), u.name};
}

Argv UserdelArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdUser& u) {
  return {tools.userdel, "--remove", "--root", root, u.name};
}

Argv GroupaddArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdGroup& g) {
  Argv argv{tools.groupadd, "--root", root};
  if (g.gid) {
    argv.push_back("--gid");
    argv.push_back(std::to_string(*g.gid));
  }
  argv.push_back("--password");
  argv.push_back(PasswordOf(g.password_hash));
  AddIfTrue(argv, g.system, "--system");
  argv.push_back(g.name);
  return argv;
}

Argv GroupmodArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdGroup& g) {
  Argv argv{tools.groupmod, "--root", root};
  if (g.gid) {
    argv.push_back("--gid");
    argv.push_back(std::to_string(*g.gid));
  }
  if (g.password_hash) {
    argv.push_back("--password");
    argv.push_back(PasswordOf(g.password_hash));
  }
  argv.push_back(g.name);
  return argv;
}

Argv GroupdelArgv(const PasswdTools& tools, const std::string& root, const schema::PasswdGroup& g) {
  return {tools.groupdel, "--root", root, g.name};
}

Argv HidePasswords(Argv argv) {
  for (size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] == "--password" && argv[i + 1] != "*") argv[i + 1] = "<hidden>";
  }
  return argv;
}

}  // namespace flint::stages
