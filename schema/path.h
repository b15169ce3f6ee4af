// A location inside a config: `$.storage.files.0.path`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace flint::schema {

class Path {
 public:
  using Element = std::variant<std::string, size_t>;

  Path() = default;

  // A child path: `path / "storage" / "files" / 3`.
  Path operator/(std::string_view key) const;
  Path operator/(size_t index) const;
  Path operator/(int index) const { return *this / static_cast<size_t>(index); }
  // In place, for building deep paths without copying them at each level.
  Path& operator/=(std::string_view key);
  Path& operator/=(size_t index);

  // The path without its last element (the root stays the root).
  Path Parent() const;

  const std::vector<Element>& elements() const { return elements_; }
  bool empty() const { return elements_.empty(); }
  size_t size() const { return elements_.size(); }

  // `$.storage.files.0.path`; the root is `$`.
  std::string String() const;

  bool operator==(const Path&) const = default;

 private:
  std::vector<Element> elements_;
};

}  // namespace flint::schema
