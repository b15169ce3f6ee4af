#include "schema/translate.h"

namespace flint::schema {

void Translate(Config& config, Version, Report&) {
  config.ignition.version = std::string(VersionString(kNewestVersion));
}

}  // namespace flint::schema
