// Helpers for the validation tests: small configs parsed in full, so the
// reports carry line and column as `flint validate` prints them.
#pragma once

#include <string>
#include <string_view>

#include "schema/parse.h"

namespace flint::schema::testing {

// The report for `{"ignition":{"version":"V"},BODY}` (one line; BODY starts
// at column 27 + the length of V).
inline std::string ReportOf(std::string_view version, std::string_view body) {
  std::string json = "{\"ignition\":{\"version\":\"" + std::string(version) + "\"}";
  if (!body.empty()) json += "," + std::string(body);
  json += "}";
  return Parse(json).report.String();
}

// The report for `{"ignition":{"version":"V",FIELDS}}`.
inline std::string IgnitionReportOf(std::string_view version, std::string_view fields) {
  std::string json = "{\"ignition\":{\"version\":\"" + std::string(version) + "\"," +
                     std::string(fields) + "}}";
  return Parse(json).report.String();
}

inline constexpr std::string_view kAllVersions[] = {
    "3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.5.0", "3.6.0", "3.7.0-experimental"};

}  // namespace flint::schema::testing
