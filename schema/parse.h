// Parsing a config of any accepted spec version: bytes in, the newest model
// and a report out. Pure: no I/O, no logging.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "schema/model.h"
#include "schema/report.h"
#include "schema/version.h"

namespace flint::schema {

struct ParseResult {
  // Set when the config is usable: it parsed, and validation found no error.
  // Translated to the newest version (its ignition.version says so).
  std::optional<Config> config;
  // The version the input declared, when it was an accepted one.
  std::optional<Version> version;
  // Every problem, with JSON path, line and column.
  Report report;
};

// Reads, decodes, validates and translates `bytes`.
ParseResult Parse(std::string_view bytes);
// The same; `consumed` is called as in ReadJson (json_reader.h) while the
// bytes are read, for a caller that frees the input as it goes.
ParseResult Parse(std::string_view bytes, const std::function<void(size_t consumed)>& consumed);

// Decodes without validating (for tools that want the model of an invalid
// config, e.g. to report on it). Syntax, version and type problems still
// leave `config` unset.
ParseResult ParseUnvalidated(std::string_view bytes);

}  // namespace flint::schema
