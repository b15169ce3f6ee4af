// Running a tool for one config entry of the disks stage.
#pragma once

#include <string>

#include "agent/error.h"
#include "agent/os/runner.h"
#include "agent/stage_context.h"

namespace flint::stages {

// agent::RunChecked, with the failure naming the config field it ran for
// (`$.storage.filesystems.2`).
inline agent::RunResult RunForField(agent::StageContext& ctx, const agent::Argv& argv, const std::string& field) {
  try {
    return agent::RunChecked(ctx.runner, argv);
  } catch (agent::Failure& f) {
    throw f.Field(field);
  }
}

}  // namespace flint::stages
