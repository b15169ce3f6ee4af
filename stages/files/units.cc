#include "stages/files/units.h"

#include <algorithm>
#include <map>

#include "agent/error.h"
#include "agent/os/root.h"
#include "agent/os/tools.h"

namespace flint::stages {
namespace {

std::string UnitPath(const std::string& name) { return std::string(kUnitDir) + "/" + name; }

std::string DropinDir(const std::string& unit) { return UnitPath(unit) + ".d"; }

void WriteUnitFiles(agent::StageContext& ctx, agent::Root& root, const schema::Unit& unit) {
  for (const schema::Dropin& d : unit.dropins) {
    if (!d.contents) continue;
    std::string path = DropinDir(unit.name) + "/" + d.name;
    ctx.log.Step("writing systemd drop-in '" + d.name + "' at '" + root.Display(path) + "'",
                 [&] { root.WriteFile(path, *d.contents, 0644); });
  }
  if (!unit.contents || unit.contents->empty()) return;
  std::string path = UnitPath(unit.name);
  ctx.log.Step("writing unit '" + unit.name + "' at '" + root.Display(path) + "'",
               [&] { root.WriteFile(path, *unit.contents, 0644); });
}

void ApplyMask(agent::StageContext& ctx, agent::Root& root, const schema::Unit& unit) {
  if (!unit.mask) return;
  std::string path = UnitPath(unit.name);
  if (*unit.mask) {
    ctx.log.Step("masking unit '" + unit.name + "'", [&] {
      root.MakeDirs(kUnitDir, 0755);
      root.Remove(path);
      root.Symlink(path, "/dev/null");
    });
  } else if (root.ReadLink(path) == std::optional<std::string>("/dev/null")) {
    ctx.log.Step("unmasking unit '" + unit.name + "'", [&] { root.Remove(path); });
  }
}

// Upstream's workaround for presets that cannot disable: drop the image's
// enablement links first, but only for units systemctl says are enabled
// (disabling a missing unit fails with systemd >= 252).
void DisableEnabledUnits(agent::StageContext& ctx, const std::vector<schema::Unit>& units) {
  std::string systemctl = agent::ToolPath(agent::Tool::kSystemctl, ctx.env);
  for (const schema::Unit& unit : units) {
    if (!unit.enabled || *unit.enabled) continue;
    if (ctx.runner.Run(IsEnabledArgv(systemctl, ctx.flags.root, unit.name)).exit_code != 0) continue;
    ctx.log.Step("removing enablement symlink(s) for '" + unit.name + "'",
                 [&] { agent::RunChecked(ctx.runner, DisableArgv(systemctl, ctx.flags.root, unit.name)); });
  }
}

void WritePresets(agent::StageContext& ctx, agent::Root& root) {
  std::vector<std::string> lines = PresetLines(ctx.config.systemd.units);
  if (lines.empty()) return;
  DisableEnabledUnits(ctx, ctx.config.systemd.units);
  ctx.log.Step("writing the systemd preset file '" + root.Display(kPresetPath) + "'", [&] {
    // Appended to, as upstream does, so a preset shipped in the image stays.
    std::string text = root.ReadFile(kPresetPath).value_or("");
    if (!text.empty() && text.back() != '\n') text += '\n';
    for (const std::string& line : lines) text += line + "\n";
    std::string dir = std::string(kPresetPath).substr(0, std::string(kPresetPath).rfind('/'));
    root.MakeDirs(dir, 0755);
    root.WriteFile(kPresetPath, text, 0644);
  });
}

}  // namespace

std::optional<std::pair<std::string, std::string>> SplitInstance(const std::string& name) {
  size_t at = name.find('@');
  size_t dot = name.rfind('.');
  if (at == std::string::npos || dot == std::string::npos || dot <= at + 1) return std::nullopt;
  return std::make_pair(name.substr(0, at + 1) + name.substr(dot), name.substr(at + 1, dot - at - 1));
}

std::vector<std::string> PresetLines(const std::vector<schema::Unit>& units) {
  // (action, unit) -> instances, in config order.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> presets;
  for (const schema::Unit& unit : units) {
    if (!unit.enabled) continue;
    std::string action = *unit.enabled ? "enable" : "disable";
    if (auto inst = SplitInstance(unit.name)) {
      std::vector<std::string>& instances = presets[{action, inst->first}];
      if (std::find(instances.begin(), instances.end(), inst->second) == instances.end()) {
        instances.push_back(inst->second);
      }
    } else {
      presets[{action, unit.name}];
    }
  }
  std::vector<std::string> lines;
  for (const auto& [key, instances] : presets) {
    std::string line = key.first + " " + key.second;
    for (const std::string& i : instances) line += " " + i;
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

agent::Argv IsEnabledArgv(const std::string& systemctl, const std::string& root, const std::string& unit) {
  return {systemctl, "--root", root, "is-enabled", unit};
}

agent::Argv DisableArgv(const std::string& systemctl, const std::string& root, const std::string& unit) {
  return {systemctl, "--root", root, "disable", unit};
}

void WriteUnits(agent::StageContext& ctx, agent::Root& root) {
  if (ctx.config.systemd.units.empty()) return;
  for (const schema::Unit& unit : ctx.config.systemd.units) {
    ctx.log.Step("processing unit '" + unit.name + "'", [&] {
      WriteUnitFiles(ctx, root, unit);
      ApplyMask(ctx, root, unit);
    });
  }
  WritePresets(ctx, root);
}

}  // namespace flint::stages
