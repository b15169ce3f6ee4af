// Rules for systemd units and drop-ins: name extensions, contents that parse
// as a unit file, and enabled units (or templates of enabled instances)
// without an [Install] section. Upstream: config/v3_*/types/{unit,systemd}.go
// and config/shared/validations/unit.go.
#include <map>
#include <regex>

#include "schema/unit_file.h"
#include "schema/validate_internal.h"

namespace flint::schema::validate {
namespace {

bool HasInstallSection(const UnitFile& unit) {
  for (const UnitOption& o : unit.options)
    if (o.section == "Install") return true;
  return false;
}

Problem CheckUnitName(const std::string& name) {
  static const char* const kExtensions[] = {".service", ".socket", ".device", ".mount",
                                            ".automount", ".swap", ".target", ".path",
                                            ".timer", ".snapshot", ".slice", ".scope"};
  std::string_view ext = PathExt(name);
  for (const char* e : kExtensions)
    if (ext == e) return std::nullopt;
  return "invalid systemd unit extension";
}

// Unset contents parse as an empty unit.
UnitFile ParseContents(const OptString& contents) {
  return contents ? ParseUnitFile(*contents) : UnitFile{};
}

void ValidateDropin(const Dropin& d, const Path& at, const Ctx& ctx) {
  UnitFile parsed = ParseContents(d.contents);
  if (parsed.error) ctx.report.Error(at / "contents", "invalid unit content: " + *parsed.error);
  if (PathExt(d.name) != ".conf")
    ctx.report.Error(at / "name", "invalid systemd drop-in extension");
}

void ValidateUnit(const Unit& u, const Path& at, const Ctx& ctx) {
  ctx.Error(at / "name", CheckUnitName(u.name));
  UnitFile parsed = ParseContents(u.contents);
  if (parsed.error) ctx.report.Error(at / "contents", "invalid unit content: " + *parsed.error);
  // No warning without contents (masked units, drop-ins only) or when the
  // contents did not parse (the error says enough).
  if (IsTrue(u.enabled) && !NilOrEmpty(u.contents) && !parsed.error && !HasInstallSection(parsed))
    ctx.report.Warning(at / "contents", "unit " + GoQuote(u.name) +
                                            " is enabled, but has no install section so "
                                            "enable does nothing");
  for (size_t i = 0; i < u.dropins.size(); ++i)
    ValidateDropin(u.dropins[i], at / "dropins" / i, ctx);
}

// An enabled instance `foo@bar.service` whose template `foo@.service` is in
// the config with contents but no [Install] section.
void CheckTemplates(const Systemd& s, const Path& at, const Ctx& ctx) {
  static const std::regex kInstance("^(.+?)@(.+?)\\.service$");
  std::map<std::string, const Unit*> units;
  for (const Unit& u : s.units) units[u.name] = &u;
  for (size_t i = 0; i < s.units.size(); ++i) {
    const Unit& u = s.units[i];
    std::smatch m;
    if (!IsTrue(u.enabled) || !std::regex_match(u.name, m, kInstance)) continue;
    std::string tmpl = m[1].str() + "@.service";
    auto it = units.find(tmpl);
    if (it == units.end() || !NotEmpty(it->second->contents)) continue;
    UnitFile parsed = ParseUnitFile(*it->second->contents);
    if (parsed.error || HasInstallSection(parsed)) continue;
    ctx.report.Warning(at / "units" / i / "contents",
                       "template unit " + GoQuote(tmpl) + " for " + GoQuote(u.name) +
                           " doesn't have Install section");
  }
}

}  // namespace

void ValidateSystemd(const Systemd& s, const Path& at, const Ctx& ctx) {
  CheckTemplates(s, at, ctx);
  for (size_t i = 0; i < s.units.size(); ++i) ValidateUnit(s.units[i], at / "units" / i, ctx);
}

}  // namespace flint::schema::validate
