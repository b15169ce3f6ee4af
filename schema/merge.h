// Config merging exactly as upstream Ignition's (config/merge): the child
// overrides the parent field by field; keyed lists are merged by key. Pure.
#pragma once

#include "schema/model.h"

namespace flint::schema {

// The result of applying `child` on top of `parent`, both of the newest
// version (translate first). Per field:
//  - optional scalars: the child's value when set, else the parent's;
//  - plain scalars (ignition.version, names, paths, partition number): always
//    the child's, even when empty or 0, as upstream;
//  - nested objects: merged recursively;
//  - lists that allow duplicates (file append, filesystem options and mount
//    options, raid and luks options): parent items then child items;
//  - other lists, keyed as in keys.h: the parent's items in order, each merged
//    with the child's item of the same key; then the child's new items in
//    order. A child item of the same key in another list of the same key
//    space (a directory replacing a file, shouldNotExist replacing
//    shouldExist) removes the parent's item; a child HTTP header without a
//    value removes the parent's header of that name.
Config Merge(const Config& parent, const Config& child);

}  // namespace flint::schema
