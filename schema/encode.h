// The model back to JSON, in the newest spec version's shape (what the config
// cache holds). Unset optional fields and empty lists are omitted. Pure.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "schema/model.h"

namespace flint::schema {

nlohmann::json Encode(const Config& config);
// Compact JSON text of Encode(config).
std::string EncodeString(const Config& config);

}  // namespace flint::schema
