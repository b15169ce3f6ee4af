// The kernel command line as a config source, read from
// IGNITION_KERNEL_CMDLINE_PATH or /proc/cmdline:
//   ignition.config.url=URL          fetched (upstream)
//   coreos.inst.ignition_url=URL     fetched when ignition.config.url is absent
//   ignition.config.device=LABEL     with ignition.config.path=PATH: the file
//                                    PATH on the filesystem labelled LABEL,
//                                    mounted read-only (upstream)
//   flint.config_drive_timeout=SECS  how long config-drive platforms wait for
//                                    their drive (default 300)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/providers/provider.h"

namespace flint::agent {

inline constexpr const char* kConfigUrlKey = "ignition.config.url";
inline constexpr const char* kInstallerUrlKey = "coreos.inst.ignition_url";
inline constexpr const char* kConfigDeviceKey = "ignition.config.device";
inline constexpr const char* kConfigPathKey = "ignition.config.path";
inline constexpr const char* kConfigDriveTimeoutKey = "flint.config_drive_timeout";
inline constexpr int kDefaultConfigDriveTimeoutSeconds = 300;
inline constexpr int kConfigDeviceTimeoutSeconds = 30;  // upstream's

// The words of `cmdline` that are `key` or start with `key=`, in order: the
// text after '=', nullopt for the bare word. Pure.
std::vector<std::optional<std::string>> CmdlineWords(std::string_view cmdline, std::string_view key);

// The value of the last `key=value` word of `cmdline` with a non-empty
// value, as upstream parses it (words without '=' or with an empty value are
// skipped). Pure.
std::optional<std::string> CmdlineValue(std::string_view cmdline, std::string_view key);

// The kernel command line; nullopt when the file does not exist.
std::optional<std::string> ReadKernelCmdline(const Env& env);

struct CmdlineConfigSource {
  std::optional<std::string> url;
  std::string url_key;  // the argument that named `url`
  std::optional<std::string> device_label;
  std::optional<std::string> path;
  bool operator==(const CmdlineConfigSource&) const = default;
};

// What the command line names. Pure.
CmdlineConfigSource ParseCmdlineConfigSource(std::string_view cmdline);

// flint.config_drive_timeout in seconds; the default when absent or not a
// non-negative integer (a warning is logged then). Pure but for the log.
int ConfigDriveTimeoutSeconds(std::string_view cmdline, Log& log);

struct CmdlineConfig {
  std::string bytes;
  std::string url;        // the URL fetched; empty for a device
  std::string described;  // for messages: "ignition.config.url 'https://h/c'",
                          // "'/config.ign' on the device labelled \"boot\""
};

// The config the kernel command line names, or nullopt when it names none
// (upstream's ErrNoProvider). A URL needs ctx.fetcher (NeedNet offline when
// it needs networking); a device needs ctx.runner. Throws agent::Failure:
// only one of device and path given, the device not appearing within 30 s,
// the file missing on it.
std::optional<CmdlineConfig> FetchCmdlineConfig(ProviderContext& ctx);

}  // namespace flint::agent
