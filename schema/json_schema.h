// JSON Schema (draft-07) documents for each accepted spec version, generated
// from the field table, for editors. Pure.
#pragma once

#include <string>

#include "schema/version.h"

namespace flint::schema {

// The JSON Schema of spec `version`, pretty-printed.
std::string JsonSchema(Version version);

}  // namespace flint::schema
