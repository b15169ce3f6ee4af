#include "schema/translate.h"

#include <string>

namespace flint::schema {
namespace {

constexpr int64_t kSpecialModeBits = 07000;

std::string Octal(int64_t mode) {
  std::string digits;
  for (int64_t m = mode; m > 0; m /= 8) digits.insert(digits.begin(), char('0' + m % 8));
  return "0" + digits;
}

// Spec 3.0's CaReference.Source was a string, not a pointer: a missing source
// is an empty one once translated (v3_1/translate).
void SetCaSources(Config& config) {
  for (Resource& ca : config.ignition.security.tls.certificate_authorities)
    if (!ca.source) ca.source = "";
}

// Spec 3.2's Raid.Level, Link.Target, Custom.Pin and Custom.Config were
// strings, and Clevis.Custom a pointer (v3_3/translate). A custom object
// whose fields are all absent cannot be told from no object here; both mean
// "no custom pin" to every later stage.
void SetPre33Strings(Config& config) {
  for (Raid& raid : config.storage.raid)
    if (!raid.level) raid.level = "";
  for (Link& link : config.storage.links)
    if (!link.target) link.target = "";
  for (Luks& luks : config.storage.luks) {
    ClevisCustom& custom = luks.clevis.custom;
    if (!custom.pin && !custom.config && !custom.needs_network) continue;
    if (!custom.pin) custom.pin = "";
    if (!custom.config) custom.config = "";
  }
}

template <class NodeList>
void MaskSpecialBits(NodeList& nodes, const Path& at, Report& report) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    std::optional<int64_t>& mode = nodes[i].mode;
    if (!mode || (*mode & kSpecialModeBits) == 0) continue;
    int64_t masked = *mode & ~kSpecialModeBits;
    report.Warning(at / i / "mode", "setuid/setgid/sticky bits are not applied in spec versions "
                                    "older than 3.6.0: mode " + Octal(*mode) +
                                        " is applied as " + Octal(masked));
    mode = masked;
  }
}

}  // namespace

void Translate(Config& config, Version from, Report& report) {
  if (from == Version::k3_0) SetCaSources(config);
  if (from <= Version::k3_2) SetPre33Strings(config);
  // Upstream masks since fixing special mode bits (coreos/ignition#2049):
  // earlier specs never applied them, so configs written for those specs keep
  // the old behaviour (v3_6/translate).
  if (from < Version::k3_6) {
    Path storage = Path() / "storage";
    MaskSpecialBits(config.storage.files, storage / "files", report);
    MaskSpecialBits(config.storage.directories, storage / "directories", report);
  }
  config.ignition.version = std::string(VersionString(kNewestVersion));
}

}  // namespace flint::schema
