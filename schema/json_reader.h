// Strict JSON reading with the position of every value and key, which
// nlohmann_json 3.11 does not track. Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "schema/path.h"
#include "schema/report.h"

namespace flint::schema {

// Where each value (and each object key) of a document starts.
class PositionIndex {
 public:
  std::optional<Position> ValuePosition(const Path& p) const;
  std::optional<Position> KeyPosition(const Path& p) const;

  void SetValue(std::string path, Position pos) { values_[std::move(path)] = pos; }
  void SetKey(std::string path, Position pos) { keys_[std::move(path)] = pos; }

 private:
  std::unordered_map<std::string, Position> values_;
  std::unordered_map<std::string, Position> keys_;
};

struct JsonDocument {
  nlohmann::json root;
  PositionIndex positions;
};

// Deeper documents are refused; Ignition configs nest about ten levels.
inline constexpr size_t kMaxJsonDepth = 1000;

// Reads `text` as one JSON value (RFC 8259, UTF-8 only, no comments). Syntax
// errors, invalid UTF-8, duplicate object keys and excessive nesting become
// errors in `report` with line and column. Returns nothing when the text is
// not usable JSON; with duplicate keys it returns the document (last value
// wins, as in Go) and the report holds the errors.
std::optional<JsonDocument> ReadJson(std::string_view text, Report& report);

}  // namespace flint::schema
