// The files stage's systemd step (upstream semantics): unit files in
// <root>/etc/systemd/system/<name> (only non-empty contents), drop-ins in
// <name>.d/<dropin> (an empty one is an empty file), mask -> link to
// /dev/null, mask: false removes such a link, enabled -> lines in
// /etc/systemd/system-preset/20-ignition.preset, and a unit that is to be
// disabled but is enabled in the image gets `systemctl --root R disable`.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/os/root.h"
#include "agent/stage_context.h"
#include "schema/model.h"
#include "stages/files/relabel.h"

namespace flint::stages {

inline constexpr const char* kPresetPath = "/etc/systemd/system-preset/20-ignition.preset";
inline constexpr const char* kUnitDir = "/etc/systemd/system";

// The preset lines for units with `enabled` set, sorted:
//   "enable kubelet.service", "disable foo.service",
//   "enable echo@.service a b" (instances of one template grouped, in
//   config order). Pure.
std::vector<std::string> PresetLines(const std::vector<schema::Unit>& units);

// "echo@bar.service" -> {"echo@.service", "bar"}; nullopt when `name` is not
// an instance of a template. Pure.
std::optional<std::pair<std::string, std::string>> SplitInstance(const std::string& name);

// systemctl --root R is-enabled UNIT / systemctl --root R disable UNIT. Pure.
agent::Argv IsEnabledArgv(const std::string& systemctl, const std::string& root, const std::string& unit);
agent::Argv DisableArgv(const std::string& systemctl, const std::string& root, const std::string& unit);

// Writes units, drop-ins, masks and the preset file; appends what it
// touched to `changed`.
void WriteUnits(agent::StageContext& ctx, agent::Root& root);

}  // namespace flint::stages
