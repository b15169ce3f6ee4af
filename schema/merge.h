// Config merging exactly as upstream Ignition's: the child overrides the
// parent field by field; keyed lists are merged by key. Pure.
#pragma once

#include "schema/model.h"

namespace flint::schema {

// The result of applying `child` on top of `parent`.
Config Merge(const Config& parent, const Config& child);

}  // namespace flint::schema
