// The model back to JSON, in the newest spec version's shape (what the config
// cache holds). Unset optional fields and empty lists are omitted. Pure.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "schema/model.h"

namespace flint::schema {

// Compact JSON text of the model.
std::string EncodeString(const Config& config);
// The same text, byte for byte, written to `sink` in pieces of at most ~64 KiB
// (long strings in one piece) without building the JSON document: the config
// cache of a big config is written without holding a second copy of it.
void EncodeTo(const Config& config, const std::function<void(std::string_view)>& sink);
// The same as a JSON document (for tests and tools; inline, so that the
// flint binary does not carry nlohmann's parser for it).
inline nlohmann::json Encode(const Config& config) { return nlohmann::json::parse(EncodeString(config)); }

}  // namespace flint::schema
