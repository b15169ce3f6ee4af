// flint's default kargs helper, for Boot Loader Specification entries: run as
// `flint kargs-helper ...` or through a link named `ignition-kargs-helper`.
//
//   --should-exist ARG       append ARG to the `options` line when missing
//   --should-not-exist ARG   remove every ARG (absent is fine)
//   --boot-dir DIR           the mounted boot partition; without it the helper
//                            mounts --boot-device (default
//                            /dev/disk/by-label/boot) itself
//   --cmdline FILE           the running kernel's arguments (/proc/cmdline)
//   --reboot-flag FILE       created to request a reboot
//                            (/run/coreos-kargs-reboot, the file CoreOS's
//                            coreos-kargs-reboot.service waits for)
//
// Every <boot>/loader/entries/*.conf is edited in place (atomically). A
// reboot is requested only when an entry changed and the running kernel does
// not already have the requested arguments. Exit 0 on success, 1 on failure,
// 2 on bad usage.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace flint::stages {

struct KargsOp {
  bool append = true;  // --should-exist; false: --should-not-exist
  std::string arg;
  bool operator==(const KargsOp&) const = default;
};

// Kernel command line words: split at blanks outside double quotes, quotes
// kept. Pure.
std::vector<std::string> SplitKernelArgs(std::string_view line);

// The ops applied in order. Pure.
std::vector<std::string> ApplyKargs(std::vector<std::string> args, const std::vector<KargsOp>& ops);

// The entry with its `options` line edited (several `options` lines are
// merged into the first when anything changes; one is added when there is
// none and something must be appended); unchanged text when nothing changes.
// Pure.
std::string EditBlsEntry(std::string_view entry, const std::vector<KargsOp>& ops);

struct KargsHelperOptions {
  std::vector<KargsOp> ops;
  std::string boot_dir;
  std::string boot_device = "/dev/disk/by-label/boot";
  std::string cmdline = "/proc/cmdline";
  std::string reboot_flag = "/run/coreos-kargs-reboot";
};

// Parses the arguments (after the program name / `kargs-helper`); returns
// false and sets `error` on bad usage. Pure.
bool ParseKargsHelperArgs(const std::vector<std::string>& args, KargsHelperOptions& options, std::string& error);

// Runs the helper; messages go to `out`, failures to `err`.
int RunKargsHelper(const KargsHelperOptions& options, std::ostream& out, std::ostream& err);

// main() for the helper when argv names it (program `ignition-kargs-helper`
// or `flint-kargs-helper`, or `flint kargs-helper ...`); -1 when argv is
// not a helper invocation.
int KargsHelperMain(int argc, char** argv);

}  // namespace flint::stages
