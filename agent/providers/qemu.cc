#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>

#include "agent/error.h"
#include "agent/os/fd.h"
#include "agent/os/files.h"
#include "agent/os/tools.h"
#include "agent/providers/provider.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;

// FLINT_SYSFS_DIR replaces /sys for tests.
fs::path SysfsDir(const Env& env) {
  std::string dir = env("FLINT_SYSFS_DIR");
  return dir.empty() ? fs::path("/sys") : fs::path(dir);
}

// Reads `size` bytes in as few read() calls as possible: the qemu_fw_cfg
// driver takes time proportional to the offset for every call.
std::string ReadBlob(const fs::path& raw, size_t size, Log& log) {
  Fd fd(::open(raw.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw Failure("opening the QEMU firmware config").Path(raw.string()).Errno(errno);
  std::string data(size + 1, '\0');  // one guard byte to see EOF
  size_t have = 0;
  while (have < size) {
    ssize_t n = ::read(fd.get(), data.data() + have, data.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Failure("reading the QEMU firmware config").Path(raw.string()).Errno(errno);
    if (n == 0) {
      throw Failure("reading the QEMU firmware config")
          .Path(raw.string())
          .Cause("ended after " + std::to_string(have) + " of " + std::to_string(size) + " bytes");
    }
    have += static_cast<size_t>(n);
  }
  if (have > size) throw Failure("reading the QEMU firmware config").Path(raw.string()).Cause("missing EOF");
  data.resize(size);
  log.Info("read " + std::to_string(size) + " bytes of config from QEMU fw_cfg");
  return data;
}

}  // namespace

// QEMU's firmware config interface: the blob opt/com.coreos/config
// (`-fw_cfg name=opt/com.coreos/config,file=...`), under
// /sys/firmware/qemu_fw_cfg once the qemu_fw_cfg module is loaded. No blob
// means no config, as upstream.
std::string FetchQemuConfig(ProviderContext& ctx) {
  const fs::path fw_cfg = SysfsDir(ctx.env) / "firmware" / "qemu_fw_cfg";
  if (!fs::exists(fw_cfg)) {
    if (ctx.runner == nullptr) throw Failure::Message("internal error: no runner to load qemu_fw_cfg");
    ctx.log.Info("loading the QEMU firmware config module");
    RunChecked(*ctx.runner, {ToolPath(Tool::kModprobe, ctx.env), "qemu_fw_cfg"});
  }
  const fs::path blob = fw_cfg / "by_name" / "opt" / "com.coreos" / "config";
  std::optional<std::string> size_text = ReadFileIfExists(blob / "size", "reading the QEMU firmware config size");
  if (!size_text) {
    ctx.log.Info("no QEMU firmware config '" + blob.string() + "': continuing without a config");
    return "";
  }
  std::string digits = *size_text;
  while (!digits.empty() && std::isspace(static_cast<unsigned char>(digits.back()))) digits.pop_back();
  if (digits.empty() || digits.size() > 12 || digits.find_first_not_of("0123456789") != std::string::npos) {
    throw Failure("parsing the QEMU firmware config size")
        .Path((blob / "size").string())
        .Cause("not a number: \"" + digits + "\"");
  }
  return ReadBlob(blob / "raw", std::stoull(digits), ctx.log);
}

}  // namespace flint::agent
