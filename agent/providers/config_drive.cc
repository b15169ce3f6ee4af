#include "agent/providers/config_drive.h"

#include <filesystem>

#include "agent/error.h"
#include "agent/os/files.h"
#include "agent/os/mount.h"
#include "agent/providers/cmdline.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;

const DriveLayout* FindDrive(ProviderContext& ctx, const std::vector<DriveLayout>& drives) {
  for (const DriveLayout& d : drives) {
    if (fs::exists(LabelPath(ctx.env, d.label))) return &d;
  }
  return nullptr;
}

std::optional<std::string> ReadDrive(ProviderContext& ctx, const DriveLayout& drive, const AcceptFn& accept) {
  if (ctx.runner == nullptr) throw Failure::Message("internal error: no runner to mount config drives");
  std::string device = LabelPath(ctx.env, drive.label).string();
  std::optional<std::string> data;
  WithReadOnlyMount(*ctx.runner, ctx.env, ctx.log, device, [&](const fs::path& mnt) {
    for (const std::string& file : drive.files) {
      std::optional<std::string> bytes =
          ReadFileIfExists(mnt / file, "reading '" + file + "' from the config drive '" + device + "'");
      if (!bytes) {
        ctx.log.Debug("the config drive '" + device + "' has no '" + file + "'");
        continue;
      }
      if (accept && !accept(*bytes)) {
        ctx.log.Debug("ignoring '" + file + "' on the config drive '" + device + "'");
        continue;
      }
      ctx.log.Info("read '" + file + "' from the config drive '" + device + "'");
      data = std::move(bytes);
      return;
    }
  });
  return data;
}

}  // namespace

std::string DescribeLabels(const std::vector<DriveLayout>& drives) {
  std::string text;
  for (size_t i = 0; i < drives.size(); ++i) {
    if (i > 0) text += i + 1 == drives.size() ? " or " : ", ";
    text += "'" + drives[i].label + "'";
  }
  return text;
}

DriveResult ReadConfigDrive(ProviderContext& ctx, const std::vector<DriveLayout>& drives, int wait_seconds,
                            const AcceptFn& accept) {
  const DriveLayout* drive = FindDrive(ctx, drives);
  for (int waited = 0; drive == nullptr; ++waited) {
    if (waited >= wait_seconds) return {};
    if (waited % 10 == 0) {
      ctx.log.Info("waiting for a config drive labelled " + DescribeLabels(drives) + " in '" +
                   DiskByLabelDir(ctx.env).string() + "' (" + std::to_string(waited) + "s of " +
                   std::to_string(wait_seconds) + "s)");
    }
    SleepOneSecond(ctx);
    drive = FindDrive(ctx, drives);
  }
  return {true, drive->label, ReadDrive(ctx, *drive, accept)};
}

int ConfigDriveWaitSeconds(ProviderContext& ctx) {
  std::optional<std::string> cmdline = ReadKernelCmdline(ctx.env);
  return ConfigDriveTimeoutSeconds(cmdline ? *cmdline : "", ctx.log);
}

void ThrowNoConfigDrive(ProviderContext& ctx, std::string_view platform, const std::vector<DriveLayout>& drives,
                        int wait_seconds) {
  throw Failure("waiting for the " + std::string(platform) + " config drive")
      .Path(DiskByLabelDir(ctx.env).string())
      .Cause("no filesystem labelled " + DescribeLabels(drives) + " appeared within " + std::to_string(wait_seconds) +
             "s; attach the cloud-init disk to the machine, or set " + kConfigDriveTimeoutKey +
             "=SECONDS on the kernel command line to wait longer");
}

}  // namespace flint::agent
