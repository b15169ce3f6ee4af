#include "schema/report.h"

#include <algorithm>

#include "schema/json_reader.h"

namespace flint::schema {
namespace {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "error";
}

}  // namespace

std::string Entry::String() const {
  std::string out = SeverityName(severity);
  bool show_path = has_path && !path.empty();
  if (show_path || position) out += " at ";
  if (show_path) out += path.String();
  if (show_path && position) out += ", ";
  if (position)
    out += "line " + std::to_string(position->line) + " col " + std::to_string(position->column);
  out += ": ";
  out += message;
  return out;
}

void Report::Error(const Path& at, std::string message) {
  entries_.push_back({Severity::kError, at, true, false, std::nullopt, std::move(message)});
}

void Report::Warning(const Path& at, std::string message) {
  entries_.push_back({Severity::kWarning, at, true, false, std::nullopt, std::move(message)});
}

void Report::Info(const Path& at, std::string message) {
  entries_.push_back({Severity::kInfo, at, true, false, std::nullopt, std::move(message)});
}

void Report::WarningAtKey(const Path& at, std::string message) {
  entries_.push_back({Severity::kWarning, at, true, true, std::nullopt, std::move(message)});
}

void Report::ErrorAt(Position pos, std::string message) {
  entries_.push_back({Severity::kError, Path(), false, false, pos, std::move(message)});
}

void Report::Merge(const Report& other) {
  entries_.insert(entries_.end(), other.entries_.begin(), other.entries_.end());
}

void Report::Correlate(const PositionIndex& index) {
  for (Entry& e : entries_) {
    if (e.position || !e.has_path) continue;
    if (e.at_key) {
      if (auto pos = index.KeyPosition(e.path)) {
        e.position = pos;
        continue;
      }
    }
    // The deepest existing node, as upstream's getDeepestNode.
    Path p = e.path;
    while (true) {
      if (auto pos = index.ValuePosition(p)) {
        e.position = pos;
        break;
      }
      if (p.empty()) break;
      p = p.Parent();
    }
  }
}

bool Report::HasErrors() const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [](const Entry& e) { return e.severity == Severity::kError; });
}

std::string Report::String() const {
  std::string out;
  for (const Entry& e : entries_) out += e.String() + "\n";
  return out;
}

}  // namespace flint::schema
