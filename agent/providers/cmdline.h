// The kernel command line as a config source (`ignition.config.url=`), read
// from IGNITION_KERNEL_CMDLINE_PATH or /proc/cmdline.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/providers/provider.h"

namespace flint::agent {

// The value of the last `key=value` word of `cmdline`, as upstream parses it;
// nullopt when there is none or its value is empty. Pure.
std::optional<std::string> CmdlineValue(std::string_view cmdline, std::string_view key);

// The ignition.config.url of the kernel command line, if any. A missing
// command line file counts as none.
std::optional<std::string> CmdlineConfigUrl(ProviderContext& ctx);

}  // namespace flint::agent
