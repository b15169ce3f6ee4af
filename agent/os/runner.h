// Running external programs through one narrow interface: an argv vector in
// (never a shell string), exit code, stdout and stderr out. The real runner
// spawns the process; FakeRunner records argvs for tests.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace flint::agent {

using Argv = std::vector<std::string>;

struct RunResult {
  // The exit status, or 128 + N when the process was killed by signal N.
  int exit_code = 0;
  std::string out;
  std::string err;
  bool operator==(const RunResult&) const = default;
};

class Runner {
 public:
  virtual ~Runner() = default;
  // Runs argv[0] (looked up in PATH when it has no '/') with argv, feeding
  // `input` to its stdin. Throws agent::Failure only when the program cannot
  // be started; a non-zero exit is a result, not an exception.
  virtual RunResult Run(const Argv& argv, std::string_view input = {}) = 0;
};

// Spawns real processes (posix_spawn, pipes for stdin/stdout/stderr).
class ProcessRunner : public Runner {
 public:
  RunResult Run(const Argv& argv, std::string_view input = {}) override;
};

// Records every argv; answers from a queue of results (then from `handler`,
// then with exit code 0 and no output).
class FakeRunner : public Runner {
 public:
  RunResult Run(const Argv& argv, std::string_view input = {}) override;

  std::vector<Argv> calls;
  std::vector<std::string> inputs;
  std::deque<RunResult> results;
  std::function<RunResult(const Argv&)> handler;
};

// argv for messages: words that need it are single-quoted, as a shell would.
std::string FormatArgv(const Argv& argv);

// Runs argv and throws agent::Failure naming the command, its exit code and
// its stderr when it does not exit 0:
//   mkfs.xfs -f -L root /dev/vda4 exited 1: <stderr>
RunResult RunChecked(Runner& runner, const Argv& argv, std::string_view input = {});

}  // namespace flint::agent
