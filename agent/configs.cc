#include "agent/configs.h"

#include <string>

#include "agent/error.h"
#include "schema/merge.h"
#include "schema/parse.h"

namespace flint::agent {

std::optional<schema::Config> ParseFetchedConfig(std::string_view bytes, std::string_view source,
                                                 Log& log) {
  if (bytes.empty()) return std::nullopt;
  schema::ParseResult parsed = schema::Parse(bytes);
  std::string first_error;
  for (const schema::Entry& e : parsed.report.entries()) {
    std::string line = std::string(source) + ": " + e.String();
    switch (e.severity) {
      case schema::Severity::kError:
        if (first_error.empty()) first_error = e.String();
        log.Error(line);
        break;
      case schema::Severity::kWarning:
        log.Warning(line);
        break;
      case schema::Severity::kInfo:
        log.Info(line);
        break;
    }
  }
  if (!parsed.config) {
    if (first_error.empty()) first_error = "the config is not usable";
    throw Failure("parsing the config from " + std::string(source)).Cause(first_error);
  }
  return std::move(*parsed.config);
}

schema::Config EmptyConfig() {
  schema::Config c;
  c.ignition.version = std::string(schema::VersionString(schema::kNewestVersion));
  return c;
}

bool IsEmptyConfig(const schema::Config& config) {
  schema::Config stripped = config;
  stripped.ignition.version.clear();
  return stripped == schema::Config{};
}

schema::Config MergeOnto(const schema::Config& parent, schema::Config child) {
  if (IsEmptyConfig(parent)) {
    if (child.ignition.version.empty()) child.ignition.version = parent.ignition.version;
    return child;
  }
  return schema::Merge(parent, child);
}

}  // namespace flint::agent
