// Strict JSON reading into nlohmann::json with the position of every value
// and key, which nlohmann_json 3.11 does not track. No recursion; time and
// memory linear in the input. Pure: no I/O.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "schema/position_index.h"
#include "schema/report.h"

namespace flint::schema {

struct JsonDocument {
  nlohmann::json root;
  PositionIndex positions;
};

// Deeper documents are refused; Ignition configs nest about ten levels.
inline constexpr size_t kMaxJsonDepth = 1000;

// Reads `text` as one JSON value (RFC 8259, UTF-8 only, no comments, no byte
// order mark). Syntax errors, invalid UTF-8, duplicate object keys and
// excessive nesting become errors in `report` with line and column; syntax
// errors never quote the input (configs hold secrets). Returns nothing when
// the text is not usable JSON; with duplicate keys it returns the document (last value
// wins, as in Go) and the report holds the errors.
std::optional<JsonDocument> ReadJson(std::string_view text, Report& report);

// Called now and then (about every MiB) with how many leading bytes of the
// input the reader is done with: it never reads them again, so the caller may
// give their memory back while the rest is read.
using InputConsumed = std::function<void(size_t consumed)>;
std::optional<JsonDocument> ReadJson(std::string_view text, Report& report, const InputConsumed& consumed);

}  // namespace flint::schema
