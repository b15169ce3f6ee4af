// JSON Schema (draft-07) documents for each accepted spec version, generated
// from the field table, for editors: every key a version lacks is flagged
// (additionalProperties false), as flint warns "unused key". Pure.
#pragma once

#include <string>

#include "schema/version.h"

namespace flint::schema {

// The JSON Schema of spec `version`, pretty-printed, ending in a newline.
// Types follow the model (every value may be null, as the decoder accepts);
// ignition.version is required and fixed; filesystem format and compression
// list their allowed values.
std::string JsonSchema(Version version);

}  // namespace flint::schema
