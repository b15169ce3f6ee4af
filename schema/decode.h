// Decoding a JSON document into the model, against the field table of one
// spec version: fields the version lacks are "unused key" warnings, values of
// the wrong JSON type are errors. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include "schema/model.h"
#include "schema/path.h"
#include "schema/report.h"
#include "schema/version.h"

namespace flint::schema {

// Fills `out` from `root` (strings are moved out of `root`). Problems go to
// `report` with their paths; positions are correlated by the caller.
void Decode(nlohmann::json& root, Version version, Config& out, Report& report);

}  // namespace flint::schema
