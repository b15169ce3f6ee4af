#include "stages/mount.h"

#include <algorithm>
#include <filesystem>

#include "agent/error.h"
#include "agent/os/libmount.h"
#include "agent/os/root.h"
#include "stages/files/nodes_order.h"
#include "stages/files/relabel.h"

namespace flint::stages {
namespace {

bool Skipped(const schema::OptString& format) {
  return !format || format->empty() || *format == "swap" || *format == "none";
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

// Every existing component of the mount path must be a real directory, so
// the host path cannot lead out of the root (upstream's check and text).
void CheckDirectories(agent::Root& root, const std::string& path) {
  std::string prefix;
  for (size_t i = 1; i <= path.size(); ++i) {
    if (i != path.size() && path[i] != '/') continue;
    prefix = path.substr(0, i);
    std::optional<struct stat> st = root.Lstat(prefix);
    if (!st) return;
    if (!S_ISDIR(st->st_mode)) {
      throw agent::Failure::Message("mount path '" + root.Display(path) + "' contains non-directory component '" +
                                    root.Display(prefix) + "'");
    }
  }
}

// Empty, or holding only what mkfs leaves (lost+found).
bool IsFreshFilesystem(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename() != "lost+found") return false;
  }
  return !ec;
}

void MountOne(agent::StageContext& ctx, agent::Root& root, const PlannedMount& m) {
  CheckDirectories(root, m.path);
  std::vector<std::string> created = root.MakeDirs(m.path, 0755);
  for (const std::string& d : created) ctx.state.notated_directories.push_back(d);
  if (!created.empty()) Relabel(ctx, root, {created.front()});
  std::string host = root.Display(m.path);
  std::string what = "mounting '" + m.device + "' at '" + host + "' with type '" + m.format + "'";
  if (!m.options.empty()) what += " and options '" + m.options + "'";
  ctx.log.Step(what, [&] { agent::Mount({m.device, host, m.format, m.options}); });
  // A fresh filesystem's root has no label yet.
  if (IsFreshFilesystem(host)) Relabel(ctx, root, {m.path});
}

}  // namespace

std::vector<PlannedMount> PlanMounts(const schema::Config& config) {
  std::vector<PlannedMount> plan;
  for (const schema::Filesystem& fs : config.storage.filesystems) {
    if (!fs.path || fs.path->empty() || Skipped(fs.format)) continue;
    plan.push_back({fs.device, agent::CleanPath(*fs.path), *fs.format, Join(fs.mount_options)});
  }
  std::stable_sort(plan.begin(), plan.end(),
                   [](const PlannedMount& a, const PlannedMount& b) { return PathDepth(a.path) < PathDepth(b.path); });
  return plan;
}

void RunMount(agent::StageContext& ctx) {
  std::vector<PlannedMount> plan = PlanMounts(ctx.config);
  if (plan.empty()) return;
  agent::Root root(ctx.flags.root, agent::Root::ResolverFromEnv(ctx.env));
  for (const PlannedMount& m : plan) MountOne(ctx, root, m);
}

void RunUmount(agent::StageContext& ctx) {
  std::vector<PlannedMount> plan = PlanMounts(ctx.config);
  if (plan.empty()) return;
  agent::Root root(ctx.flags.root, agent::Root::ResolverFromEnv(ctx.env));
  // Deepest first; a filesystem the mount stage never got to (it failed
  // earlier) is skipped rather than failing the unmount of the others.
  for (auto it = plan.rbegin(); it != plan.rend(); ++it) {
    std::string host = root.Display(it->path);
    if (!agent::IsMountPoint(host)) {
      ctx.log.Info("'" + host + "' is not mounted: nothing to unmount");
      continue;
    }
    ctx.log.Step("umounting '" + host + "'", [&] { agent::Unmount(host); });
  }
}

}  // namespace flint::stages
