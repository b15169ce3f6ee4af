// Turning fetched bytes into a config, and layering configs, as the engine
// and the providers need it.
#pragma once

#include <optional>
#include <string_view>

#include "agent/log.h"
#include "schema/model.h"

namespace flint::agent {

// Parses a config that came from `source` ("'/usr/lib/ignition/user.ign'",
// "platform file"), logging every report entry (paths and messages only,
// never contents). nullopt for empty input (upstream's ErrEmpty); throws
// agent::Failure when the report has errors.
std::optional<schema::Config> ParseFetchedConfig(std::string_view bytes, std::string_view source,
                                                 Log& log);

// An empty config of the newest spec version (upstream's emptyConfig).
schema::Config EmptyConfig();

// schema::Merge(parent, child), skipping the merge when `parent` is an empty
// config (merging onto nothing yields the child unchanged, moved rather than
// copied when the caller passes it as an rvalue: a config can be tens of MB).
schema::Config MergeOnto(const schema::Config& parent, schema::Config child);

// True when `config` carries nothing but (possibly) its version.
bool IsEmptyConfig(const schema::Config& config);

}  // namespace flint::agent
