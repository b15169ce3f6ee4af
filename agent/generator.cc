#include "agent/generator.h"

#include <unistd.h>

#include <iostream>
#include <optional>
#include <vector>

#include "agent/error.h"
#include "agent/os/atomic_file.h"
#include "agent/os/env.h"
#include "agent/os/files.h"
#include "agent/providers/cmdline.h"

namespace flint::agent {

namespace fs = std::filesystem;

bool FirstbootRequested(std::string_view cmdline) {
  std::vector<std::optional<std::string>> args = CmdlineWords(cmdline, kFirstbootKey);
  if (args.empty()) return false;
  const std::optional<std::string>& last = args.back();
  if (!last) return true;
  // Exactly upstream's generator: only these count as false ("false" itself
  // does not).
  return !(last->empty() || *last == "0" || *last == "no" || *last == "off");
}

GeneratorPlan PlanGenerator(std::string_view cmdline) {
  GeneratorPlan plan;
  plan.firstboot = FirstbootRequested(cmdline);
  plan.target = plan.firstboot ? kFirstbootTarget : kSubsequentTarget;
  // Upstream writes the value as given, empty when absent: the stages then
  // refuse to run without a platform, which the failure banner shows.
  plan.env_text = "PLATFORM_ID=" + CmdlineValue(cmdline, kPlatformIdKey).value_or("") + "\n";
  return plan;
}

void ApplyGenerator(const GeneratorPlan& plan, const fs::path& unit_dir, const fs::path& system_unit_dir,
                    const fs::path& env_file) {
  fs::path wants = unit_dir / "initrd.target.requires";
  MakeDirectories(wants, 0755, "creating the generator's directory");
  fs::path link = wants / plan.target;
  std::error_code ec;
  fs::remove(link, ec);
  fs::create_symlink(system_unit_dir / plan.target, link, ec);
  if (ec) throw Failure("creating the unit link").Path(link.string()).Cause(ec.message());
  MakeDirectories(env_file.parent_path(), 0755, "creating the directory of the env file");
  WriteFileAtomic(env_file, plan.env_text, 0644);
}

int GeneratorMain(int argc, char** argv) {
  std::string program = argc > 0 ? fs::path(argv[0]).filename().string() : "";
  if (program != "flint-generator" && program != "ignition-generator") return -1;
  // systemd passes normal, early and late directories; the first is ours.
  if (argc < 2) {
    std::cerr << program << ": usage: " << program << " NORMAL-DIR [EARLY-DIR LATE-DIR]\n";
    return 1;
  }
  if (::access("/etc/initrd-release", F_OK) != 0) return 0;
  try {
    std::optional<std::string> cmdline = ReadKernelCmdline(ProcessEnv());
    GeneratorPlan plan = PlanGenerator(cmdline.value_or(""));
    ApplyGenerator(plan, argv[1], "/usr/lib/systemd/system", "/run/ignition.env");
  } catch (const std::exception& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace flint::agent
