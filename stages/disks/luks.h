// LUKS2 volumes for the disks stage, through the `cryptsetup` tool (the
// same commands upstream Ignition runs, so its behaviour and messages carry
// over; libcryptsetup would add a link dependency for no gain here).
// A volume is formatted with the config's key file, or a random key when
// none is given, and opened as /dev/mapper/<name>; the key and what
// /etc/crypttab needs are recorded in the state for the files stage.
// An existing LUKS volume is kept, without wipeVolume, only when its label
// and UUID match the config and the key opens it (never when it is to be
// bound with Clevis). Clevis binding: stages/disks/clevis.h. CEX is
// refused before anything changes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/os/runner.h"
#include "agent/stage_context.h"
#include "schema/model.h"

namespace flint::stages {

// Where the disks stage keeps key files while the initramfs runs.
inline constexpr const char* kLuksKeyDir = "/run/ignition/luks-keyfiles";
// Where the files stage writes them in the real root.
inline constexpr const char* kLuksRealRootKeyDir = "/etc/luks";

// Throws agent::Failure naming the field of the first LUKS volume that uses
// CEX (IBM Z secure keys: refused off s390x, not implemented on it) or has
// no device. Pure.
void CheckLuksSupported(const schema::Config& config);

// cryptsetup luksFormat --type luks2 --key-file KEY [--label L] [--uuid U]
//   OPTIONS... DEVICE   (with --batch-mode: never ask). Pure.
agent::Argv LuksFormatArgv(const std::string& cryptsetup, const schema::Luks& luks, const std::string& key_file,
                           const std::string& device);

// cryptsetup luksOpen DEVICE NAME --key-file KEY --persistent
//   [--allow-discards] OPEN_OPTIONS... Pure. --persistent (as upstream)
//   writes the activation flags into the LUKS2 header, so the real root opens
//   the volume the same way and a rerun can compare `discard`.
agent::Argv LuksOpenArgv(const std::string& cryptsetup, const schema::Luks& luks, const std::string& key_file,
                         const std::string& device);

// Whether `cryptsetup luksDump` output shows the persistent allow-discards
// flag ("Flags: allow-discards ..."). Pure.
bool LuksDumpAllowsDiscards(std::string_view dump);

// The /etc/crypttab options: luks, _netdev (Clevis with tang or a custom
// pin that needs the network), discard, then the open options without their
// leading "--". Pure.
std::vector<std::string> CrypttabOptions(const schema::Luks& luks);

// Formats (or keeps) and opens every LUKS volume of the config.
void CreateLuksVolumes(agent::StageContext& ctx);

}  // namespace flint::stages
