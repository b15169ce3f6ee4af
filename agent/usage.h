// The text of `flint --help`: commands, flags, environment, exit codes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace flint::agent {

std::string HelpText(const std::vector<std::string_view>& stages);

// The short usage of `flint validate` / `ignition-validate`.
std::string ValidateUsage(std::string_view program);

}  // namespace flint::agent
