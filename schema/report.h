// Problems found in a config: collected with their JSON path and position,
// never thrown, and printed in upstream Ignition's form:
//   error at $.storage.files.0.path, line 5 col 12: path not absolute
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schema/path.h"

namespace flint::schema {

class PositionIndex;

enum class Severity { kError, kWarning, kInfo };

struct Position {
  size_t line = 0;    // 1-based
  size_t column = 0;  // 1-based, in bytes
  bool operator==(const Position&) const = default;
};

struct Entry {
  Severity severity = Severity::kError;
  Path path;
  bool has_path = true;   // false for whole-document problems (syntax errors)
  bool at_key = false;    // the position is that of the key, not the value
  std::optional<Position> position;
  std::string message;

  std::string String() const;
};

class Report {
 public:
  void Error(const Path& at, std::string message);
  void Warning(const Path& at, std::string message);
  void Info(const Path& at, std::string message);
  // A problem located at the key of `at` rather than its value (unused keys).
  void WarningAtKey(const Path& at, std::string message);
  // A problem with a position but no path (JSON syntax errors).
  void ErrorAt(Position pos, std::string message);
  void Add(Entry e) { entries_.push_back(std::move(e)); }
  void Merge(const Report& other);

  // Fills in the positions of entries that have none from `index`: the
  // position of the deepest part of the entry's path that exists in the
  // document, as upstream does.
  void Correlate(const PositionIndex& index);

  bool HasErrors() const;
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }
  // One line per entry, each ending in '\n'.
  std::string String() const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace flint::schema
