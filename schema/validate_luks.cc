// Rules for LUKS volumes: names, labels, devices, key files, Clevis (custom
// pin vs tang/tpm2/threshold, tang URLs, thumbprints and advertisements) and
// IBM CEX keys. Upstream: config/v3_*/types/{luks,clevis,tang,cex}.go.
#include <nlohmann/json.hpp>

#include "schema/go_url.h"
#include "schema/validate_internal.h"

namespace flint::schema::validate {
namespace {

bool HasOtherPins(const Clevis& c) {
  return !c.tang.empty() || IsTrue(c.tpm2) || (c.threshold && *c.threshold != 0);
}

// In 3.2 `custom` was an object whose presence mattered; the model only
// keeps its fields, so a custom object counts as present when any is set.
bool CustomPresent(const ClevisCustom& c, const Ctx& ctx) {
  if (!ctx.AtLeast(Version::k3_3)) return c.pin || c.config || c.needs_network;
  return NotEmpty(c.pin);
}

void ValidateCustom(const ClevisCustom& cu, const Path& at, const Ctx& ctx) {
  const bool v32 = !ctx.AtLeast(Version::k3_3);
  // 3.2: pin and config were plain strings; needsNetwork alone did not count.
  if (NilOrEmpty(cu.pin) && NilOrEmpty(cu.config) && (v32 || !IsTrue(cu.needs_network))) return;
  if (NotEmpty(cu.pin) || v32) {
    // From 3.6 any pin name is accepted.
    const std::string pin = cu.pin.value_or("");
    if (!ctx.AtLeast(Version::k3_6) && pin != "tpm2" && pin != "tang" && pin != "sss")
      ctx.report.Error(at / "pin", "unsupported clevis pin");
  } else {
    ctx.report.Error(at / "pin", "missing required custom clevis pin");
  }
  if (NilOrEmpty(cu.config))
    ctx.report.Error(at / "config", "missing required custom clevis config");
}

void ValidateTang(const Tang& t, const Path& at, const Ctx& ctx) {
  auto u = ParseGoUrl(t.url);
  if (!u)
    ctx.report.Error(at / "url", std::string(kErrInvalidUrl));
  else if (u->scheme != "http" && u->scheme != "https")
    ctx.report.Error(at / "url", std::string(kErrInvalidScheme));
  if (NilOrEmpty(t.thumbprint)) ctx.report.Error(at / "thumbprint", "thumbprint is required");
  if (NotEmpty(t.advertisement) && !nlohmann::json::accept(*t.advertisement))
    ctx.report.Error(at / "advertisement", "advertisement is not valid JSON");
}

}  // namespace

void ValidateLuks(const Luks& l, const Path& at, const Ctx& ctx) {
  if (l.name.find('/') != std::string::npos)
    ctx.report.Error(at / "name", "device names cannot contain slashes");
  if (NotEmpty(l.label) && l.label->size() > 47)
    ctx.report.Error(at / "label", "luks device labels cannot be longer than 47 characters");
  if (NilOrEmpty(l.device))
    ctx.report.Error(at / "device", std::string(kErrDiskDeviceRequired));
  else
    ctx.Error(at / "device", CheckPath(*l.device));
  if (CustomPresent(l.clevis.custom, ctx) && HasOtherPins(l.clevis))
    ctx.report.Error(at / "clevis", "cannot use custom clevis config with tpm2, tang, or threshold");
  // Upstream reports a bad key file at "keys", a field that does not exist.
  if (CheckUrlNilOk(l.key_file.source, ctx.version))
    ctx.report.Error(at / "keys", "invalid key-file source");
  if (ctx.AtLeast(Version::k3_5) && IsTrue(l.cex.enabled)) {
    if (ClevisPresent(l.clevis)) ctx.report.Error(at / "cex", "cannot use cex with clevis");
    if (NotEmpty(l.key_file.source)) ctx.report.Error(at / "cex", "cannot use key file with cex");
  }

  ValidateCustom(l.clevis.custom, at / "clevis" / "custom", ctx);
  for (size_t i = 0; i < l.clevis.tang.size(); ++i)
    ValidateTang(l.clevis.tang[i], at / "clevis" / "tang" / i, ctx);
  ValidateResource(l.key_file, at / "keyFile", ResourceKind::kKeyFile, ctx);
}

}  // namespace flint::schema::validate
