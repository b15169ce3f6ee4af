// Where each value (and each object key) of a JSON document starts, as a tree
// that mirrors the document: memory is linear in the document whatever its
// depth or key lengths, and a lookup walks the path. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "schema/path.h"
#include "schema/report.h"

namespace flint::schema {

class PositionIndex {
 public:
  using NodeId = uint32_t;

  // The position of the value at `p`, or of its key in the enclosing object.
  std::optional<Position> ValuePosition(const Path& p) const;
  std::optional<Position> KeyPosition(const Path& p) const;

  // Building, by the reader. The first node added is the root. `key` and
  // `key_pos` are those of an object member.
  NodeId AddNode(Position value_pos, std::string key = {}, Position key_pos = {});
  // The children of a finished array or object, in document order. For an
  // object with duplicate keys the last one counts, as in the document.
  void SetChildren(NodeId parent, bool is_object, std::span<NodeId> children);
  size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    Position value;
    Position key;
    std::string name;    // the key, for object members
    uint32_t first = 0;  // children_[first, first + count)
    uint32_t count = 0;
    bool is_object = false;
  };

  const Node* Find(const Path& p) const;

  std::vector<Node> nodes_;
  std::vector<NodeId> children_;  // arrays in order, objects sorted by name
};

}  // namespace flint::schema
