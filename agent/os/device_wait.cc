#include "agent/os/device_wait.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "agent/error.h"
#include "agent/os/tools.h"

namespace flint::agent {
namespace {

bool IsBlockDevice(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode);
}

}  // namespace

void SettleUdev(Runner& runner, const Env& env, std::chrono::milliseconds timeout) {
  long seconds = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(timeout).count());
  try {
    runner.Run({ToolPath(Tool::kUdevadm, env), "settle", "--timeout=" + std::to_string(seconds < 1 ? 1 : seconds)});
  } catch (const Failure&) {
    // No udevadm: polling for the node still bounds the wait.
  }
}

DeviceWaitOptions DeviceWaitFromEnv(const Env& env) {
  DeviceWaitOptions options;
  std::string v = env("FLINT_DEVICE_TIMEOUT");
  if (v.empty()) return options;
  if (v.find_first_not_of("0123456789") != std::string::npos || v.size() > 6) {
    throw Failure::Message("FLINT_DEVICE_TIMEOUT='" + v + "' is not a number of seconds");
  }
  options.timeout = std::chrono::seconds(std::stol(v));
  return options;
}

std::string WaitForDevice(Runner& runner, const Env& env, const std::string& device, const std::string& field,
                          const DeviceWaitOptions& options) {
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + options.timeout;
  auto next_progress = start + options.progress_every;
  if (!IsBlockDevice(device)) SettleUdev(runner, env, options.timeout);
  while (!IsBlockDevice(device)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      struct stat st;
      std::string cause = ::stat(device.c_str(), &st) == 0 ? "it is not a block device"
                                                           : std::string("it did not appear: ") + std::strerror(errno);
      throw Failure("waiting for device")
          .Device(device)
          .Field(field)
          .Cause(cause + " (waited " +
                 std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count()) +
                 " s; FLINT_DEVICE_TIMEOUT sets the limit)");
    }
    if (options.progress && std::chrono::steady_clock::now() >= next_progress) {
      next_progress += options.progress_every;
      auto waited = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
      options.progress(
          "waiting for device '" + device + "' (at " + field + "): " + std::to_string(waited.count()) + " s of " +
          std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count()) + " s");
    }
    std::this_thread::sleep_for(options.poll);
  }
  std::error_code ec;
  std::filesystem::path real = std::filesystem::canonical(device, ec);
  return ec ? device : real.string();
}

}  // namespace flint::agent
