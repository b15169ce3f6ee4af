#include "agent/providers/cmdline.h"

#include <filesystem>
#include <vector>

#include "agent/error.h"
#include "agent/fetched_config.h"
#include "agent/os/files.h"
#include "agent/os/mount.h"
#include "agent/render.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;

// Upstream splits with strings.Fields: any ASCII white space.
constexpr const char* kSpace = " \t\n\r\v\f";

std::string ReadFromDevice(ProviderContext& ctx, const std::string& label, const std::string& path) {
  fs::path device = LabelPath(ctx.env, label);
  for (int waited = 0; !fs::exists(device); ++waited) {
    if (waited >= kConfigDeviceTimeoutSeconds) {
      throw Failure("waiting for the config device named by " + std::string(kConfigDeviceKey))
          .Path(device.string())
          .Cause("device \"" + label + "\" did not appear within " + std::to_string(kConfigDeviceTimeoutSeconds) + "s");
    }
    if (waited % 10 == 0) ctx.log.Info("waiting for the config device '" + device.string() + "'");
    SleepOneSecond(ctx);
  }
  if (ctx.runner == nullptr) throw Failure::Message("internal error: no runner to mount '" + device.string() + "'");
  // Clean the path as if rooted, so ".." cannot leave the mount.
  fs::path relative = (fs::path("/") / path).lexically_normal().relative_path();
  std::optional<std::string> bytes;
  WithReadOnlyMount(*ctx.runner, ctx.env, ctx.log, device.string(), [&](const fs::path& mnt) {
    bytes = ReadFileIfExists(mnt / relative, "reading the config file on device '" + device.string() + "'");
  });
  if (!bytes) {
    throw Failure("reading the config named by " + std::string(kConfigPathKey))
        .Path(path)
        .Cause("No such file on the device labelled \"" + label + "\" ('" + device.string() + "')");
  }
  return *bytes;
}

// "ignition.config.url 'https://h/c'", "ignition.config.url (a data URL)".
std::string DescribeCmdlineUrl(const std::string& key, const std::string& url) {
  std::string source = DescribeSource(url);
  return key + (source.front() == '\'' ? " " + source : " (" + source + ")");
}

}  // namespace

std::vector<std::optional<std::string>> CmdlineWords(std::string_view cmdline, std::string_view key) {
  std::vector<std::optional<std::string>> found;
  size_t i = 0;
  while (i < cmdline.size()) {
    size_t end = cmdline.find_first_of(kSpace, i);
    if (end == std::string_view::npos) end = cmdline.size();
    std::string_view word = cmdline.substr(i, end - i);
    i = end + 1;
    if (word == key) {
      found.emplace_back(std::nullopt);
    } else if (word.size() > key.size() && word.substr(0, key.size()) == key && word[key.size()] == '=') {
      found.emplace_back(std::string(word.substr(key.size() + 1)));
    }
  }
  return found;
}

std::optional<std::string> CmdlineValue(std::string_view cmdline, std::string_view key) {
  std::optional<std::string> value;
  for (std::optional<std::string>& v : CmdlineWords(cmdline, key)) {
    if (v && !v->empty()) value = std::move(v);
  }
  return value;
}

std::optional<std::string> ReadKernelCmdline(const Env& env) {
  std::string path = env("IGNITION_KERNEL_CMDLINE_PATH");
  if (path.empty()) path = "/proc/cmdline";
  return ReadFileIfExists(path, "reading the kernel command line");
}

CmdlineConfigSource ParseCmdlineConfigSource(std::string_view cmdline) {
  CmdlineConfigSource s;
  if ((s.url = CmdlineValue(cmdline, kConfigUrlKey))) {
    s.url_key = kConfigUrlKey;
  } else if ((s.url = CmdlineValue(cmdline, kInstallerUrlKey))) {
    s.url_key = kInstallerUrlKey;
  }
  s.device_label = CmdlineValue(cmdline, kConfigDeviceKey);
  s.path = CmdlineValue(cmdline, kConfigPathKey);
  return s;
}

int ConfigDriveTimeoutSeconds(std::string_view cmdline, Log& log) {
  std::optional<std::string> value = CmdlineValue(cmdline, kConfigDriveTimeoutKey);
  if (!value) return kDefaultConfigDriveTimeoutSeconds;
  bool digits = value->size() <= 9 && value->find_first_not_of("0123456789") == std::string::npos;
  if (!digits) {
    log.Warning(std::string(kConfigDriveTimeoutKey) + "=" + *value + " is not a number of seconds: using " +
                std::to_string(kDefaultConfigDriveTimeoutSeconds));
    return kDefaultConfigDriveTimeoutSeconds;
  }
  return std::stoi(*value);
}

std::optional<CmdlineConfig> FetchCmdlineConfig(ProviderContext& ctx) {
  std::optional<std::string> cmdline = ReadKernelCmdline(ctx.env);
  if (!cmdline) return std::nullopt;
  CmdlineConfigSource source = ParseCmdlineConfigSource(*cmdline);
  if (source.url) {
    const std::string& url = *source.url;
    if (source.device_label || source.path) {
      ctx.log.Warning("\"" + source.url_key + "\" takes precedence; ignoring \"" + kConfigDeviceKey + "\" and \"" +
                      kConfigPathKey + "\"");
    }
    if (ctx.offline && UrlNeedsNet(url)) {
      throw NeedNet(source.url_key + " (" + DescribeSource(url) + ") needs networking");
    }
    ctx.log.Info("fetching the config named by " + DescribeCmdlineUrl(source.url_key, url));
    if (ctx.fetcher == nullptr) throw Failure::Message("internal error: no fetcher for " + source.url_key);
    schema::Resource resource;
    resource.source = url;
    try {
      return CmdlineConfig{ctx.fetcher->FetchToString(resource, schema::Path()), url,
                           DescribeCmdlineUrl(source.url_key, url)};
    } catch (const Failure& f) {
      throw Failure("fetching the config named by " + source.url_key).Url(RedactUrl(url)).Cause(f.cause());
    }
  }
  if (source.device_label && source.path) {
    ctx.log.Info("reading the config \"" + *source.path + "\" from the device labelled \"" + *source.device_label +
                 "\"");
    return CmdlineConfig{ReadFromDevice(ctx, *source.device_label, *source.path), "",
                         "'" + *source.path + "' on the device labelled \"" + *source.device_label + "\""};
  }
  if (source.device_label || source.path) {
    throw Failure::Message(std::string("both \"") + kConfigDeviceKey + "\" and \"" + kConfigPathKey +
                           "\" must be provided together");
  }
  return std::nullopt;
}

}  // namespace flint::agent
