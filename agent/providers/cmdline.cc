#include "agent/providers/cmdline.h"

#include "agent/os/files.h"

namespace flint::agent {

std::optional<std::string> CmdlineValue(std::string_view cmdline, std::string_view key) {
  std::optional<std::string> value;
  size_t i = 0;
  while (i < cmdline.size()) {
    size_t end = cmdline.find_first_of(" \t\n", i);
    if (end == std::string_view::npos) end = cmdline.size();
    std::string_view word = cmdline.substr(i, end - i);
    i = end + 1;
    size_t eq = word.find('=');
    // A bare `key` without '=' leaves the value as it was, as upstream.
    if (eq == std::string_view::npos || word.substr(0, eq) != key) continue;
    std::string v(word.substr(eq + 1));
    value = v.empty() ? std::nullopt : std::optional<std::string>(v);
  }
  return value;
}

std::optional<std::string> CmdlineConfigUrl(ProviderContext& ctx) {
  std::string path = ctx.env("IGNITION_KERNEL_CMDLINE_PATH");
  if (path.empty()) path = "/proc/cmdline";
  std::optional<std::string> cmdline = ReadFileIfExists(path, "reading the kernel command line");
  if (!cmdline) return std::nullopt;
  return CmdlineValue(*cmdline, "ignition.config.url");
}

}  // namespace flint::agent
