#include "stages/disks/filesystems.h"

#include <algorithm>
#include <cctype>

#include "agent/error.h"
#include "agent/os/device_wait.h"
#include "agent/os/tools.h"
#include "schema/path.h"
#include "stages/disks/device_wait_options.h"
#include "stages/disks/run_for_field.h"

namespace flint::stages {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string AllTypes(const Probe& probe) {
  std::string types;
  for (const Signature& s : probe.found) types += (types.empty() ? "" : ", ") + s.type;
  return types;
}

void CreateOne(agent::StageContext& ctx, const schema::Filesystem& fs, const schema::Path& at,
               const agent::DeviceWaitOptions& wait) {
  std::string device = agent::WaitForDevice(ctx.runner, ctx.env, fs.device, (at / "device").String(), wait);
  const std::string& format = *fs.format;
  std::optional<agent::Argv> mkfs = MkfsArgv(fs, device, ctx.env);  // unknown formats fail before any change
  if (!fs.wipe_filesystem.value_or(false)) {
    Probe probe = ProbeDevice(ctx, device, at.String());
    if (probe.ambivalent) {
      // Upstream reuses a matching filesystem that blkid finds ambivalent, with a warning (coreos/ignition#991).
      for (const Signature& s : probe.found) {
        if (FilesystemMismatch(fs, s).empty()) {
          ctx.log.Warning("filesystem at '" + fs.device + "' is ambivalent (" + AllTypes(probe) + "): reusing its " +
                          format + " filesystem");
          return;
        }
      }
      throw agent::Failure("refusing to create a " + format + " filesystem on")
          .Device(fs.device)
          .Field((at / "wipeFilesystem").String())
          .Cause("blkid finds several conflicting signatures on it (" + AllTypes(probe) +
                 "), none the filesystem asked for, and wipeFilesystem is false");
    }
    if (!probe.type.empty()) {
      std::string mismatch = FilesystemMismatch(fs, probe);
      if (mismatch.empty()) {
        ctx.log.Info("filesystem at '" + fs.device + "' is already correctly formatted: skipping mkfs");
        return;
      }
      throw agent::Failure("refusing to create a " + format + " filesystem on")
          .Device(fs.device)
          .Field((at / "wipeFilesystem").String())
          .Cause("the filesystem there is not of the correct type, label, or UUID: " + mismatch +
                 ", and wipeFilesystem is false");
    }
  }
  ctx.log.Step("creating " + format + " filesystem on '" + fs.device + "'", [&] {
    RunForField(ctx, {agent::ToolPath(agent::Tool::kWipefs, ctx.env), "-a", device}, at.String());
    if (mkfs) RunForField(ctx, *mkfs, at.String());
  });
}

}  // namespace

std::string CanonicalUuid(const std::string& format, const std::string& uuid) {
  std::string u = Lower(uuid);
  if (format == "vfat") u.erase(std::remove(u.begin(), u.end(), '-'), u.end());
  return u;
}

std::string FilesystemMismatch(const schema::Filesystem& fs, const Signature& probe) {
  std::string format = fs.format.value_or("");
  if (probe.type != format) return "type \"" + probe.type + "\" (want \"" + format + "\")";
  if (fs.label && probe.label != *fs.label) return "label \"" + probe.label + "\" (want \"" + *fs.label + "\")";
  if (fs.uuid && CanonicalUuid(format, probe.uuid) != CanonicalUuid(format, *fs.uuid))
    return "UUID \"" + probe.uuid + "\" (want \"" + *fs.uuid + "\")";
  return "";
}

std::optional<agent::Argv> MkfsArgv(const schema::Filesystem& fs, const std::string& device, const agent::Env& env) {
  using agent::Tool;
  const std::string format = fs.format.value_or("");
  std::string label = fs.label.value_or(""), uuid = fs.uuid.value_or("");
  agent::Argv argv;
  auto add = [&argv](bool when, std::initializer_list<std::string> words) {
    if (when) argv.insert(argv.end(), words);
  };
  if (format == "none") return std::nullopt;
  if (format == "ext4") {
    argv = {agent::ToolPath(Tool::kMkfsExt4, env), "-F"};
    add(!label.empty(), {"-L", label});
    add(!uuid.empty(), {"-U", uuid});
  } else if (format == "btrfs") {
    argv = {agent::ToolPath(Tool::kMkfsBtrfs, env), "--force"};
    add(!label.empty(), {"-L", label});
    add(!uuid.empty(), {"-U", uuid});
  } else if (format == "xfs") {
    argv = {agent::ToolPath(Tool::kMkfsXfs, env), "-f"};
    add(!label.empty(), {"-L", label});
    add(!uuid.empty(), {"-m", "uuid=" + uuid});
  } else if (format == "swap") {
    argv = {agent::ToolPath(Tool::kMkswap, env), "-f"};
    add(!label.empty(), {"-L", label});
    add(!uuid.empty(), {"-U", uuid});
  } else if (format == "vfat") {
    argv = {agent::ToolPath(Tool::kMkfsVfat, env)};
    add(!label.empty(), {"-n", label});
    uuid.erase(std::remove(uuid.begin(), uuid.end(), '-'), uuid.end());  // mkfs.fat -i takes 8 hex digits
    add(!uuid.empty(), {"-i", uuid});
  } else {
    throw agent::Failure("creating a filesystem on")
        .Device(fs.device)
        .Cause("format \"" + format + "\" is not supported");
  }
  argv.insert(argv.end(), fs.options.begin(), fs.options.end());
  argv.push_back(device);
  return argv;
}

void CreateFilesystems(agent::StageContext& ctx) {
  agent::DeviceWaitOptions wait = StageDeviceWait(ctx);
  const std::vector<schema::Filesystem>& all = ctx.config.storage.filesystems;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!all[i].format || all[i].format->empty()) continue;  // nothing to make (e.g. only a mount path)
    CreateOne(ctx, all[i], schema::Path() / "storage" / "filesystems" / i, wait);
  }
}

}  // namespace flint::stages
