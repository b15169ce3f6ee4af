// The kargs stage: when kernelArguments is set, runs the kargs helper (tool
// table entry KARGS_HELPER, upstream's `ignition-kargs-helper`) with
//   --should-exist A ... --should-not-exist B ...
// The helper edits the boot entries and requests a reboot when needed.
#pragma once

#include <string>

#include "agent/os/runner.h"
#include "agent/stage_context.h"
#include "schema/model.h"

namespace flint::stages {

// The helper's argv; empty when there is nothing to do. Pure.
agent::Argv KargsHelperArgv(const std::string& helper, const schema::KernelArguments& kargs);

void RunKargs(agent::StageContext& ctx);

}  // namespace flint::stages
