#include "schema/parse.h"

#include "schema/decode.h"
#include "schema/json_reader.h"
#include "schema/translate.h"
#include "schema/validate.h"

namespace flint::schema {
namespace {

const Path kVersionPath = Path() / "ignition" / "version";

// Finds the declared version, as upstream's GetConfigVersion does.
std::optional<Version> DetectVersion(const nlohmann::json& root, Report& report) {
  std::string declared;
  if (root.is_object()) {
    auto ign = root.find("ignition");
    if (ign != root.end() && ign->is_object()) {
      auto v = ign->find("version");
      if (v != ign->end() && v->is_string()) declared = v->get<std::string>();
    }
  }
  if (auto version = VersionFromString(declared)) return version;
  report.Error(kVersionPath, IsSemver(declared) ? "unsupported config version"
                                                : "invalid config version (couldn't parse)");
  // Beyond upstream: say what to do about the commonest case, an old spec.
  if (declared.rfind("1.", 0) == 0 || declared.rfind("2.", 0) == 0 || declared == "1")
    report.Info(kVersionPath, "spec " + declared + " is an Ignition spec 1/2 config; flint reads "
                              "spec 3.0.0 to 3.7.0-experimental: translate it to spec 3 first "
                              "(e.g. with ign-converter), or write it with Butane");
  return std::nullopt;
}

ParseResult DoParse(std::string_view bytes, bool validate, const InputConsumed& consumed) {
  ParseResult result;
  if (bytes.empty()) {
    result.report.Error(Path(), "not a config (empty)");
    return result;
  }
  std::optional<JsonDocument> doc = ReadJson(bytes, result.report, consumed);
  if (!doc) return result;
  result.version = DetectVersion(doc->root, result.report);
  if (result.version && !result.report.HasErrors()) {
    Config config;
    // Upstream reports unused keys after the validation rules, so the
    // decoder's warnings are held back until the rules have run.
    Report decoded;
    Decode(doc->root, *result.version, config, decoded);
    if (decoded.HasErrors()) {
      result.report.Merge(decoded);
    } else {
      if (validate) Validate(config, *result.version, result.report);
      result.report.Merge(decoded);
      if (!result.report.HasErrors()) {
        Translate(config, *result.version, result.report);
        result.config = std::move(config);
      }
    }
  }
  result.report.Correlate(doc->positions);
  return result;
}

}  // namespace

ParseResult Parse(std::string_view bytes) { return DoParse(bytes, true, InputConsumed()); }

ParseResult Parse(std::string_view bytes, const std::function<void(size_t consumed)>& consumed) {
  return DoParse(bytes, true, consumed);
}

ParseResult ParseUnvalidated(std::string_view bytes) { return DoParse(bytes, false, InputConsumed()); }

}  // namespace flint::schema
