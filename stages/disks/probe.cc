#include "stages/disks/probe.h"

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

Probe ProbeDevice(agent::StageContext& ctx, const std::string& device, const std::string& field) {
  agent::Argv argv = {agent::ToolPath(agent::Tool::kBlkid, ctx.env), "-p", "-o", "export", device};
  agent::RunResult r = ctx.runner.Run(argv);
  if (r.exit_code == 2) return {};
  if (r.exit_code == 8) {
    Probe ambivalent;
    ambivalent.ambivalent = true;
    return ambivalent;
  }
  if (r.exit_code != 0) {
    throw agent::Failure("probing").Device(device).Field(field).Cause(agent::FormatArgv(argv) + " exited " +
                                                                      std::to_string(r.exit_code) + ": " + r.err);
  }
  return ParseBlkidExport(r.out);
}

}  // namespace flint::stages
