// Upstream Ignition's validation rules, each with its exact message text and
// JSON path, as errors or warnings as upstream has them. Pure.
#pragma once

#include "schema/model.h"
#include "schema/report.h"
#include "schema/version.h"

namespace flint::schema {

// Checks `config`, as declared with spec `version` (rules that differ between
// versions follow that version), and adds every problem to `report`.
void Validate(const Config& config, Version version, Report& report);

}  // namespace flint::schema
