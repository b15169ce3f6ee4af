#include "stages/files/relabel.h"

#include <algorithm>
#include <set>

#include "agent/error.h"
#include "agent/os/root.h"
#include "agent/os/tools.h"

namespace flint::stages {
namespace {

constexpr std::string_view kSelinuxConfig = "/etc/selinux/config";

std::string FileContexts(const std::string& policy) {
  return "/etc/selinux/" + policy + "/contexts/files/file_contexts";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> SelinuxTypeFromConfig(std::string_view config) {
  while (!config.empty()) {
    size_t nl = config.find('\n');
    std::string_view line = Trim(config.substr(0, nl));
    config = nl == std::string_view::npos ? std::string_view() : config.substr(nl + 1);
    constexpr std::string_view kKey = "SELINUXTYPE=";
    if (line.substr(0, kKey.size()) != kKey) continue;
    std::string_view value = Trim(line.substr(kKey.size()));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (value.empty()) return std::nullopt;
    return std::string(value);
  }
  return std::nullopt;
}

agent::Argv SetfilesArgv(const std::string& setfiles, const std::string& root, const std::string& policy) {
  std::string contexts = root == "/" ? FileContexts(policy) : root + FileContexts(policy);
  return {setfiles, "-vF0", "-r", root, contexts, "-f", "-"};
}

std::string SetfilesInput(const std::string& root, const ChangedPaths& paths) {
  std::set<std::string> host;
  for (const std::string& p : paths) {
    std::string clean = agent::CleanPath(p);
    host.insert(root == "/" ? clean : (clean == "/" ? root : root + clean));
  }
  std::string out;
  for (const std::string& h : host) {
    out += h;
    out += '\0';
  }
  return out;
}

std::optional<std::string> TargetSelinuxPolicy(agent::Root& root, agent::Log& log) {
  std::optional<std::string> config = root.ReadFile(kSelinuxConfig);
  if (!config) {
    log.Debug("no '" + root.Display(kSelinuxConfig) + "': the target has no SELinux policy, not relabelling");
    return std::nullopt;
  }
  std::optional<std::string> policy = SelinuxTypeFromConfig(*config);
  if (!policy) {
    log.Warning("'" + root.Display(kSelinuxConfig) + "' names no SELINUXTYPE: not relabelling");
    return std::nullopt;
  }
  if (!root.Lstat(FileContexts(*policy))) {
    log.Warning("SELinux policy '" + *policy + "' has no '" + root.Display(FileContexts(*policy)) +
                "': not relabelling");
    return std::nullopt;
  }
  return policy;
}

void Relabel(agent::StageContext& ctx, agent::Root& root, const ChangedPaths& paths) {
  if (paths.empty()) return;
  std::optional<std::string> policy = TargetSelinuxPolicy(root, ctx.log);
  if (!policy) return;
  std::string host_root = root.Display("/");  // without a trailing slash
  std::string input = SetfilesInput(host_root, paths);
  agent::Argv argv = SetfilesArgv(agent::ToolPath(agent::Tool::kSetfiles, ctx.env), host_root, *policy);
  size_t count = std::count(input.begin(), input.end(), '\0');
  ctx.log.Step("relabelling " + std::to_string(count) + " paths with SELinux policy '" + *policy + "'",
               [&] { agent::RunChecked(ctx.runner, argv, input); });
}

}  // namespace flint::stages
