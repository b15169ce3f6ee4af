// The `flint` command line: the agent (`-platform P -stage S ...`, as
// upstream's `ignition`), `validate`, and `schema`.
#pragma once

namespace flint::agent {

// Runs the command line and returns the process exit code.
int Main(int argc, char** argv);

}  // namespace flint::agent
