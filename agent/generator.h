// flint's systemd generator for the initramfs, run by systemd as
// `flint-generator` (or `ignition-generator`) with its three output
// directories. On the kernel command line, `ignition.firstboot` decides:
// first boot → initrd.target requires ignition-complete.target (every stage
// runs); otherwise → ignition-subsequent.target (nothing is provisioned).
// It writes /run/ignition.env with PLATFORM_ID=<ignition.platform.id> for
// the stage units. Outside an initramfs (no /etc/initrd-release) it does
// nothing.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace flint::agent {

inline constexpr const char* kFirstbootKey = "ignition.firstboot";
inline constexpr const char* kPlatformIdKey = "ignition.platform.id";
inline constexpr const char* kFirstbootTarget = "ignition-complete.target";
inline constexpr const char* kSubsequentTarget = "ignition-subsequent.target";

// `ignition.firstboot` as upstream's generator reads it: a bare word is
// true; `=0`, `=no`, `=off` and `=` are false, any other value true; the
// last occurrence wins; absent is false. Pure.
bool FirstbootRequested(std::string_view cmdline);

struct GeneratorPlan {
  bool firstboot = false;
  std::string target;    // pulled in by initrd.target
  std::string env_text;  // the contents of /run/ignition.env
  bool operator==(const GeneratorPlan&) const = default;
};

// What the generator does for this kernel command line. Pure.
GeneratorPlan PlanGenerator(std::string_view cmdline);

// Applies `plan`: `<unit_dir>/initrd.target.requires/<target>` links to
// `<system_unit_dir>/<target>`, and `env_file` is written (0644). Throws
// agent::Failure naming the path.
void ApplyGenerator(const GeneratorPlan& plan, const std::filesystem::path& unit_dir,
                    const std::filesystem::path& system_unit_dir, const std::filesystem::path& env_file);

// main() when argv[0] names the generator (`flint-generator`,
// `ignition-generator`); -1 otherwise. Exit 0, or 1 with the error on stderr
// (systemd logs it).
int GeneratorMain(int argc, char** argv);

}  // namespace flint::agent
