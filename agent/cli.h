// The `flint` command line: the agent (`-platform P -stage S ...`, as
// upstream's `ignition`), `validate`, and `schema`. The program's name
// decides too: `ignition` is the agent only, `ignition-validate` is
// `flint validate`.
#pragma once

#include <string>
#include <vector>

#include "agent/stage_context.h"

namespace flint::agent {

// Runs the command line and returns the process exit code.
int Main(int argc, char** argv, const StageTable& stages);

// `flint validate FILE|-` (args exclude "validate").
int RunValidate(const std::vector<std::string>& args, const std::string& program);

// `flint schema --version V` (args exclude "schema").
int RunSchema(const std::vector<std::string>& args);

}  // namespace flint::agent
