#include "stages/disks/probe.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "agent/error.h"
#include "agent/os/tools.h"

namespace flint::stages {

Probe ParseBlkidExport(const std::string& out) {
  Probe probe;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "TYPE") probe.type = value;
    if (key == "LABEL") probe.label = value;
    if (key == "UUID") probe.uuid = value;
  }
  return probe;
}

std::vector<Signature> ParseWipefsJson(const std::string& out) {
  std::vector<Signature> found;
  if (out.find_first_not_of(" \t\r\n") == std::string::npos) return found;  // no signatures: no output
  nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("signatures") || !j["signatures"].is_array())
    throw agent::Failure("reading the output of wipefs --json").Cause("not the expected JSON");
  auto text = [](const nlohmann::json& s, const char* key) {
    return s.contains(key) && s[key].is_string() ? s[key].get<std::string>() : std::string();
  };
  for (const nlohmann::json& s : j["signatures"]) {
    if (s.is_object()) found.push_back({text(s, "type"), text(s, "label"), text(s, "uuid")});
  }
  return found;
}

Probe ProbeDevice(agent::StageContext& ctx, const std::string& device, const std::string& field) {
  agent::Argv argv = {agent::ToolPath(agent::Tool::kBlkid, ctx.env), "-p", "-o", "export", device};
  agent::RunResult r = ctx.runner.Run(argv);
  if (r.exit_code == 2) return {};
  if (r.exit_code == 8) {
    Probe ambivalent;
    ambivalent.ambivalent = true;
    agent::Argv list = {agent::ToolPath(agent::Tool::kWipefs, ctx.env), "--no-act", "--json", device};
    try {
      ambivalent.found = ParseWipefsJson(agent::RunChecked(ctx.runner, list).out);
    } catch (agent::Failure& f) {
      throw f.Device(device).Field(field);
    }
    return ambivalent;
  }
  if (r.exit_code != 0) {
    throw agent::Failure("probing").Device(device).Field(field).Cause(agent::FormatArgv(argv) + " exited " +
                                                                      std::to_string(r.exit_code) + ": " + r.err);
  }
  return ParseBlkidExport(r.out);
}

}  // namespace flint::stages
