// The state file (-state-file, default /run/ignition/state): what one stage
// leaves for later ones. Read at the start of a stage, written back (whole,
// atomically) when it succeeds. The directory is created 0700, the file is
// 0600.
//
// Format: one JSON object, the same keys as upstream Ignition's state file,
// so either program can read what the other wrote:
//   {
//     "fetchedConfigs": [{"kind": "user", "source": "file", "referenced": false,
//                         "sha512": "<hex>"}],
//     "luksPersistKeyFiles": {"<luks name>": "<key file contents>"},
//     "notatedDirectories": ["/var/lib/foo"],
//     "luksVolumes": [{"name": "root", "device": "/dev/vda4", "uuid": "...",
//                      "keyFile": "/etc/luks/root", "options": ["luks"]}],
//     "providerOutputFiles": [ <storage.files entries, spec JSON> ]
//   }
// Keys flint does not know are kept as they are. "sha512" (of the fetched
// bytes) is flint's addition; upstream ignores it.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace flint::agent {

struct FetchedConfig {
  std::string kind;    // "base" or "user"
  std::string source;  // "system", a platform name, or a URL
  bool referenced = false;
  std::string sha512 = {};  // hex, of the bytes fetched; empty when not known
  bool operator==(const FetchedConfig&) const = default;
};

// A LUKS volume the disks stage set up, for the files stage's /etc/crypttab
// line `<name> UUID=<uuid> <keyFile> <options,...>` (flint's own key: upstream
// runs `cryptsetup luksUUID` in the files stage instead).
struct LuksVolume {
  std::string name;      // the mapping, /dev/mapper/<name>
  std::string device;    // the backing device, as the config names it
  std::string uuid;      // the LUKS header's UUID
  std::string key_file;  // in the real root ("/etc/luks/<name>"), or "none" (Clevis, CEX)
  std::vector<std::string> options;  // crypttab options, in order ("luks", "_netdev", "discard", ...)
  bool operator==(const LuksVolume&) const = default;
};

struct State {
  std::vector<FetchedConfig> fetched_configs;
  // Secret: key files for LUKS volumes, written out by the files stage and
  // then removed from the state. Never log these. Values are data URLs of
  // the key bytes, as upstream writes them.
  std::map<std::string, std::string> luks_persist_key_files;
  // LUKS volumes for /etc/crypttab, in config order (disks stage).
  std::vector<LuksVolume> luks_volumes;
  // Directories created under the root, relative to it (mount stage).
  std::vector<std::string> notated_directories;
  nlohmann::json provider_output_files = nlohmann::json::array();
  // Unknown keys, preserved.
  nlohmann::json extra = nlohmann::json::object();

  // Appends `c` unless an equal entry is already recorded.
  void RecordFetchedConfig(const FetchedConfig& c);
};

nlohmann::json StateToJson(const State& state);
// Throws agent::Failure when a known key has the wrong type.
State StateFromJson(const nlohmann::json& json);

// A missing file is an empty state; an unreadable or malformed one throws
// agent::Failure.
State LoadState(const std::filesystem::path& path);
// Creates the directory (0700) if needed and writes the file atomically (0600).
void SaveState(const std::filesystem::path& path, const State& state);

}  // namespace flint::agent
