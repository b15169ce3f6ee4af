// Translation of a config parsed at an older spec version to the newest.
// Pure.
#pragma once

#include "schema/model.h"
#include "schema/report.h"
#include "schema/version.h"

namespace flint::schema {

// Rewrites `config`, parsed as `from`, into the newest version: sets
// ignition.version and applies the rules that changed between versions
// (e.g. special mode bits before 3.6). Notes anything dropped in `report`
// as a warning.
void Translate(Config& config, Version from, Report& report);

}  // namespace flint::schema
