// Reading the environment through a function, so code that depends on
// variables (IGNITION_*, FLINT_TOOL_*) can be tested with a fake one.
#pragma once

#include <functional>
#include <map>
#include <string>

namespace flint::agent {

// The value of a variable; empty when it is unset (upstream Ignition treats
// an empty value as unset too).
using Env = std::function<std::string(const std::string& name)>;

// The process environment.
Env ProcessEnv();

// A fixed environment for tests.
Env FakeEnv(std::map<std::string, std::string> vars);

}  // namespace flint::agent
