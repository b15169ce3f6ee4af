// Translation of a config parsed at an older spec version to the newest, as
// upstream's config/v3_*/translate chain does. Pure.
#pragma once

#include "schema/model.h"
#include "schema/report.h"
#include "schema/version.h"

namespace flint::schema {

// Rewrites `config`, decoded as `from`, into the newest version:
//  - 3.0: a CA reference's source was a plain string, so it is always set;
//  - up to 3.2: raid level, link target and (when a custom clevis object is
//    given) its pin and config were plain strings, so they are always set;
//  - before 3.6: setuid/setgid/sticky bits of file and directory modes are
//    masked out (upstream does so silently; flint warns at the mode);
//  - ignition.version becomes the newest version.
void Translate(Config& config, Version from, Report& report);

}  // namespace flint::schema
