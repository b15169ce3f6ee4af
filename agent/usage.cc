#include "agent/usage.h"

#include "agent/flags.h"
#include "agent/providers/provider.h"
#include "schema/version.h"

namespace flint::agent {
namespace {

std::string Join(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += sep;
    out += w;
  }
  return out;
}

// Wraps `words` to lines of at most `width` columns, each starting with `indent`.
std::string Wrap(const std::vector<std::string>& words, size_t width, std::string_view indent) {
  std::string out, line;
  for (const std::string& w : words) {
    if (!line.empty() && line.size() + 1 + w.size() > width) {
      out += std::string(indent) + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
  }
  if (!line.empty()) out += std::string(indent) + line + "\n";
  return out;
}

std::string FlagsSection() {
  std::string out;
  for (const FlagDoc& f : FlagDocs()) {
    std::string head = "  -" + std::string(f.name);
    if (!f.value_name.empty()) head += " " + std::string(f.value_name);
    out += head + "\n      " + std::string(f.usage);
    if (!f.default_text.empty()) out += " (default " + f.default_text + ")";
    out += "\n";
  }
  return out;
}

}  // namespace

std::string HelpText(const std::vector<std::string_view>& stages) {
  std::vector<std::string> stage_names(stages.begin(), stages.end());
  std::vector<std::string> platforms;
  for (const Platform& p : Platforms()) {
    platforms.push_back(std::string(p.name) + (p.fetch ? "" : "*"));
  }
  std::vector<std::string> versions;
  for (int v = 0; v < schema::kVersionCount; ++v) {
    versions.emplace_back(schema::VersionString(static_cast<schema::Version>(v)));
  }
  std::string h;
  h += "flint " FLINT_VERSION " - an Ignition-compatible first-boot provisioning agent\n\n";
  h += "USAGE\n";
  h += "  flint -platform NAME -stage NAME [flags]   run one provisioning stage\n";
  h += "  flint validate FILE|-                      check a config; print the report\n";
  h += "  flint schema --version VERSION             print the JSON Schema of a spec version\n";
  h += "  flint -version                             print the version\n";
  h += "  flint --help                               print this help\n\n";
  h += "  Invoked as 'ignition' it is the agent only (a drop-in for upstream Ignition);\n";
  h += "  invoked as 'ignition-validate FILE|-' it is 'flint validate'.\n\n";
  h += "FLAGS (as upstream Ignition: -x or --x, -x VALUE or -x=VALUE; booleans -x or -x=false)\n";
  h += FlagsSection();
  h += "\nSTAGES (in boot order)\n" + Wrap(stage_names, 76, "  ");
  h += "  fetch-offline and fetch acquire the config (kernel command line, then the\n"
       "  system user.ign, then the platform), render it and write the config cache;\n"
       "  the other stages read the cache. A stage that is not written yet fails.\n";
  h += "\nPLATFORMS (* = not supported by this build: fails at fetch time)\n" + Wrap(platforms, 76, "  ");
  h += "\nCONFIG SPEC VERSIONS\n  " + Join(versions, ", ") + "\n";
  h += "\nSYSTEM CONFIGS\n"
       "  base.d/*, base.platform.d/PLATFORM/* and user.ign are searched in\n"
       "  /run/ignition, /etc/ignition and /usr/lib/ignition (highest priority\n"
       "  first). Base fragments: the highest-priority file of each name wins; they\n"
       "  are merged in name order under the user config. user.ign: the first found.\n";
  h += "\nKERNEL COMMAND LINE\n"
       "  ignition.config.url=URL              fetch the user config from URL\n"
       "  coreos.inst.ignition_url=URL         the same, when ignition.config.url is absent\n"
       "  ignition.config.device=LABEL         with ignition.config.path=PATH: read PATH from\n"
       "                                       the filesystem labelled LABEL (read-only)\n"
       "  flint.config_drive_timeout=SECONDS   how long kubevirt, nutanix and powervs wait\n"
       "                                       for their config drive (default 300)\n";
  h += "\nENVIRONMENT\n"
       "  IGNITION_CONFIG_FILE                 config of the 'file' platform (default ./config.ign)\n"
       "  IGNITION_KERNEL_CMDLINE_PATH         kernel command line (default /proc/cmdline)\n"
       "  IGNITION_SYSTEM_RUNTIME_CONFIG_DIR   replaces /run/ignition\n"
       "  IGNITION_SYSTEM_LOCAL_CONFIG_DIR     replaces /etc/ignition\n"
       "  IGNITION_SYSTEM_CONFIG_DIR           replaces /usr/lib/ignition\n"
       "  FLINT_TOOL_<NAME>=PATH               use PATH for an external program, e.g.\n"
       "                                       FLINT_TOOL_MKFS_XFS, FLINT_TOOL_MDADM,\n"
       "                                       FLINT_TOOL_KARGS_HELPER, FLINT_TOOL_SYSTEMCTL\n"
       "  FLINT_METADATA_URL=http://HOST:PORT  replaces the address of every cloud metadata\n"
       "                                       service (tests)\n"
       "  FLINT_DISK_BY_LABEL_DIR=DIR          replaces /dev/disk/by-label (tests)\n"
       "  FLINT_SYSFS_DIR=DIR                  replaces /sys (tests)\n";
  h += "\nLOGGING\n"
       "  To the journal (identifier 'flint', fields FLINT_STAGE, FLINT_FIELD, FLINT_PATH,\n"
       "  FLINT_DEVICE, FLINT_URL), or with -log-to-stdout as 'LEVEL: stage: message'.\n"
       "  Config contents and secrets are never logged.\n";
  h += "\nFILES\n"
       "  /run/ignition.json      the rendered user config (mode 0640), -config-cache\n"
       "  /run/ignition/state     state shared between stages (0600), -state-file\n"
       "  /run/ignition/neednet   written by fetch-offline when networking is needed\n";
  h += "\nEXIT STATUS\n"
       "  0  success (validate: no errors)\n"
       "  1  the stage failed (validate: the config has errors or cannot be read)\n"
       "  2  usage error: missing -platform or -stage, unknown stage or platform,\n"
       "     unknown flag or bad flag value\n"
       "  3  setup failure: the state file cannot be read\n";
  return h;
}

std::string ValidateUsage(std::string_view program) {
  return "usage: " + std::string(program) + " FILE|-\n"
         "  Checks an Ignition config (spec 3.0.0 - 3.7.0-experimental) and prints every\n"
         "  problem as 'error at $.path, line L col C: message'. Exits 1 when the config\n"
         "  has errors or cannot be read, 0 otherwise; '-' reads standard input.\n";
}

}  // namespace flint::agent
