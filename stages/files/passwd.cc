#include "stages/files/passwd.h"

#include "agent/error.h"
#include "agent/os/root.h"
#include "stages/files/passwd_argv.h"
#include "stages/files/passwd_db.h"

namespace flint::stages {
namespace {

using agent::Failure;

// The files the shadow tools rewrite, for relabelling (upstream's list).
const ChangedPaths kShadowFiles = {"/etc/passwd*", "/etc/group*",  "/etc/shadow*",   "/etc/gshadow*",
                                   "/etc/subuid*", "/etc/subgid*", "/etc/.pwd.lock"};

bool ShouldExist(const schema::OptBool& v) { return !v || *v; }

// Runs a shadow tool; the error names the command without password hashes.
void RunTool(agent::Runner& runner, const agent::Argv& argv) {
  agent::RunResult r = runner.Run(argv);
  if (r.exit_code == 0) return;
  std::string err = r.err;
  while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
  throw Failure::Message(agent::FormatArgv(HidePasswords(argv)) + " exited " + std::to_string(r.exit_code) +
                         (err.empty() ? "" : ": " + err));
}

std::string EtcFile(agent::Root& root, std::string_view path) {
  return root.ReadFile(path).value_or("");
}

void EnsureGroup(agent::StageContext& ctx, agent::Root& root, const PasswdTools& tools,
                 const schema::PasswdGroup& g) {
  bool exists = FindGroup(EtcFile(root, "/etc/group"), g.name).has_value();
  if (!ShouldExist(g.should_exist)) {
    if (!exists) return;
    ctx.log.Step("deleting group '" + g.name + "'",
                 [&] { RunTool(ctx.runner, GroupdelArgv(tools, ctx.flags.root, g)); });
    return;
  }
  if (exists) {
    ctx.log.Step("modifying group '" + g.name + "'",
                 [&] { RunTool(ctx.runner, GroupmodArgv(tools, ctx.flags.root, g)); });
  } else {
    ctx.log.Step("adding group '" + g.name + "'",
                 [&] { RunTool(ctx.runner, GroupaddArgv(tools, ctx.flags.root, g)); });
  }
}

PasswdEntry LookUp(agent::Root& root, const std::string& name) {
  std::optional<PasswdEntry> e = FindUser(EtcFile(root, "/etc/passwd"), name);
  if (!e) {
    throw Failure("looking up user '" + name + "'").Path(root.Display("/etc/passwd")).Cause("no such user");
  }
  return *e;
}

// Directories the mount stage created inside the home belong to the user
// (upstream, PR 1240): useradd leaves an existing home alone.
void GiveMountDirsToUser(agent::StageContext& ctx, agent::Root& root, const PasswdEntry& user) {
  for (const std::string& dir : ctx.state.notated_directories) {
    std::string clean = agent::CleanPath(dir);
    if (!IsInHome(clean, agent::CleanPath(user.home)) || !root.Lstat(clean)) continue;
    root.SetOwnerAndMode(clean, user.uid, user.gid, 0700);
  }
}

void WriteKeys(agent::StageContext& ctx, agent::Root& root, const schema::PasswdUser& u) {
  if (u.ssh_authorized_keys.empty()) return;
  std::string file = AuthorizedKeysFile(ctx.env);
  ctx.log.Step("adding ssh keys to user '" + u.name + "'", [&] {
    PasswdEntry user = LookUp(root, u.name);
    std::string path = agent::CleanPath(user.home + "/" + file);
    std::string dir = path.substr(0, path.rfind('/'));
    root.MakeDirs(dir, 0700, user.uid, user.gid);
    root.WriteFile(path, AuthorizedKeysText(u.ssh_authorized_keys), 0600, user.uid, user.gid);
    ctx.log.Info("wrote ssh authorized keys file for user: " + u.name, {{"FLINT_PATH", root.Display(path)}});
  });
}

void EnsureUser(agent::StageContext& ctx, agent::Root& root, const PasswdTools& tools,
                const schema::PasswdUser& u) {
  std::optional<PasswdEntry> existing = FindUser(EtcFile(root, "/etc/passwd"), u.name);
  if (!ShouldExist(u.should_exist)) {
    if (!existing) return;
    ctx.log.Step("deleting user '" + u.name + "'",
                 [&] { RunTool(ctx.runner, UserdelArgv(tools, ctx.flags.root, u)); });
    return;
  }
  ctx.log.Step("creating or modifying user '" + u.name + "'", [&] {
    RunTool(ctx.runner, existing ? UsermodArgv(tools, ctx.flags.root, u) : UseraddArgv(tools, ctx.flags.root, u));
  });
  if (agent::Argv pw = SetPasswordArgv(tools, ctx.flags.root, u); !pw.empty()) {
    ctx.log.Step("setting password for '" + u.name + "'", [&] { RunTool(ctx.runner, pw); });
  }
  PasswdEntry user = LookUp(root, u.name);
  if (!existing || (u.home_dir && !u.home_dir->empty())) root.RecordChanged(agent::CleanPath(user.home));
  GiveMountDirsToUser(ctx, root, user);
  WriteKeys(ctx, root, u);
}

}  // namespace

std::string AuthorizedKeysFile(const agent::Env& env) {
  std::string v = env("IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT");
  if (v.empty() || v == "true" || v == "1") return ".ssh/authorized_keys.d/ignition";
  if (v == "false" || v == "0") return ".ssh/authorized_keys";
  throw Failure("reading IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT")
      .Cause("value '" + v + "' cannot be interpreted as a boolean");
}

std::string AuthorizedKeysText(const std::vector<std::string>& keys) {
  std::string text;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) text += '\n';
    text += keys[i];
  }
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

bool IsInHome(std::string_view dir, std::string_view home) {
  if (home.empty() || home == "/") return false;
  if (dir == home) return true;
  return dir.size() > home.size() && dir.substr(0, home.size()) == home && dir[home.size()] == '/';
}

void WriteUsersAndGroups(agent::StageContext& ctx, agent::Root& root) {
  const schema::Passwd& passwd = ctx.config.passwd;
  if (passwd.users.empty() && passwd.groups.empty()) return;
  PasswdTools tools = PasswdToolsFrom(ctx.env);
  for (const schema::PasswdGroup& g : passwd.groups) EnsureGroup(ctx, root, tools, g);
  for (const schema::PasswdUser& u : passwd.users) EnsureUser(ctx, root, tools, u);
  for (const std::string& f : kShadowFiles) root.RecordChanged(f);
}

}  // namespace flint::stages
