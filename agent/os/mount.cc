#include "agent/os/mount.h"

#include <stdlib.h>

#include "agent/error.h"
#include "agent/os/tools.h"

namespace flint::agent {

std::filesystem::path DiskByLabelDir(const Env& env) {
  std::string dir = env("FLINT_DISK_BY_LABEL_DIR");
  return dir.empty() ? std::filesystem::path("/dev/disk/by-label") : std::filesystem::path(dir);
}

std::filesystem::path LabelPath(const Env& env, std::string_view label) {
  if (label.empty() || label == "." || label == ".." || label.find('/') != std::string_view::npos) {
    throw Failure::Message("invalid device label \"" + std::string(label) + "\"");
  }
  return DiskByLabelDir(env) / label;
}

Argv ReadOnlyMountArgv(const Env& env, const std::string& device, const std::filesystem::path& dir) {
  return {ToolPath(Tool::kMount, env), "-o", "ro", "-t", "auto", device, dir.string()};
}

void WithReadOnlyMount(Runner& runner, const Env& env, Log& log, const std::string& device,
                       const std::function<void(const std::filesystem::path&)>& fn) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "flint-configdrive-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    throw Failure("creating a temporary mount point").Path(tmpl).Errno(errno);
  }
  const std::filesystem::path dir = tmpl;
  auto remove_dir = [&] {
    std::error_code ec;
    std::filesystem::remove(dir, ec);
    if (ec) log.Warning("removing the temporary mount point '" + dir.string() + "': " + ec.message());
  };
  try {
    RunChecked(runner, ReadOnlyMountArgv(env, device, dir));
  } catch (...) {
    remove_dir();
    throw;
  }
  log.Debug("mounted '" + device + "' read-only at '" + dir.string() + "'");
  auto unmount = [&] {
    RunResult r = runner.Run({ToolPath(Tool::kUmount, env), dir.string()});
    if (r.exit_code != 0) {
      log.Warning("unmounting '" + device + "' from '" + dir.string() + "' failed: " + r.err);
      return;  // the directory is still a mount point: leave it
    }
    remove_dir();
  };
  try {
    fn(dir);
  } catch (...) {
    unmount();
    throw;
  }
  unmount();
}

}  // namespace flint::agent
