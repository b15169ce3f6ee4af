#include "agent/system_config.h"

#include <algorithm>
#include <map>
#include <system_error>

#include "agent/configs.h"
#include "agent/error.h"
#include "agent/os/files.h"

namespace flint::agent {
namespace fs = std::filesystem;

std::vector<fs::path> SystemConfigDirs(const Env& env) {
  auto dir = [&env](const char* var, const char* fallback) {
    std::string v = env(var);
    return fs::path(v.empty() ? fallback : v);
  };
  return {
      dir("IGNITION_SYSTEM_RUNTIME_CONFIG_DIR", "/run/ignition"),
      dir("IGNITION_SYSTEM_LOCAL_CONFIG_DIR", "/etc/ignition"),
      dir("IGNITION_SYSTEM_CONFIG_DIR", "/usr/lib/ignition"),
  };
}

std::vector<fs::path> FindFragments(const std::vector<fs::path>& dirs, const fs::path& subdir) {
  std::map<std::string, fs::path> winners;  // sorted by name
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    fs::directory_iterator it(dir / subdir, ec);
    if (ec) {
      if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) continue;
      throw Failure("reading the config directory").Path((dir / subdir).string()).Cause(ec.message());
    }
    for (const fs::directory_entry& entry : it) {
      if (entry.is_directory(ec)) continue;
      // Earlier directories have priority: keep the first path per name.
      winners.emplace(entry.path().filename().string(), entry.path());
    }
  }
  std::vector<fs::path> result;
  for (auto& [name, path] : winners) result.push_back(std::move(path));
  return result;
}

std::optional<fs::path> FindUserConfig(const std::vector<fs::path>& dirs) {
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    fs::path p = dir / "user.ign";
    if (fs::exists(p, ec)) return p;
  }
  return std::nullopt;
}

namespace {

// Merges the fragments of `subdir` onto `base`, recording each file.
void MergeFragments(const std::vector<fs::path>& dirs, const fs::path& subdir, Log& log,
                    BaseConfig& base) {
  for (const fs::path& file : FindFragments(dirs, subdir)) {
    std::string source = "'" + file.string() + "'";
    std::string bytes = ReadFile(file, "reading the base config");
    std::optional<schema::Config> config = ParseFetchedConfig(bytes, source, log);
    if (!config) throw Failure("reading the base config").Path(file.string()).Cause("the file is empty");
    log.Info("merging base config " + source);
    base.config = MergeOnto(base.config, std::move(*config));
    base.fragments.push_back(file);
  }
}

}  // namespace

BaseConfig LoadBaseConfig(const std::vector<fs::path>& dirs, std::string_view platform, Log& log) {
  BaseConfig base;
  MergeFragments(dirs, "base.d", log, base);
  fs::path platform_dir = fs::path("base.platform.d") / std::string(platform);
  BaseConfig with_platform = base;
  try {
    MergeFragments(dirs, platform_dir, log, with_platform);
  } catch (const Failure& f) {
    // Upstream logs this and carries on without the platform fragments.
    log.Warning("ignoring the base configs in " + platform_dir.string() + ": " + f.what(),
                f.LogFields());
    return base;
  }
  return with_platform;
}

}  // namespace flint::agent
