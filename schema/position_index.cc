#include "schema/position_index.h"

#include <algorithm>

namespace flint::schema {

PositionIndex::NodeId PositionIndex::AddNode(Position value_pos, std::string key,
                                             Position key_pos) {
  nodes_.push_back(Node{value_pos, key_pos, std::move(key)});
  return static_cast<NodeId>(nodes_.size() - 1);
}

void PositionIndex::SetChildren(NodeId parent, bool is_object, std::span<NodeId> children) {
  Node& node = nodes_[parent];
  node.is_object = is_object;
  node.first = static_cast<uint32_t>(children_.size());
  if (!is_object) {
    children_.insert(children_.end(), children.begin(), children.end());
  } else {
    auto by_name = [this](NodeId a, NodeId b) { return nodes_[a].name < nodes_[b].name; };
    std::stable_sort(children.begin(), children.end(), by_name);
    for (size_t i = 0; i < children.size(); ++i) {
      // Of equal names, keep the last in document order.
      if (i + 1 < children.size() && !by_name(children[i], children[i + 1])) continue;
      children_.push_back(children[i]);
    }
  }
  node.count = static_cast<uint32_t>(children_.size() - node.first);
}

const PositionIndex::Node* PositionIndex::Find(const Path& p) const {
  if (nodes_.empty()) return nullptr;
  const Node* node = &nodes_[0];
  for (const Path::Element& e : p.elements()) {
    auto first = children_.begin() + node->first;
    auto last = first + node->count;
    if (const auto* key = std::get_if<std::string>(&e)) {
      if (!node->is_object) return nullptr;
      auto it = std::lower_bound(first, last, *key, [this](NodeId id, const std::string& k) {
        return nodes_[id].name < k;
      });
      if (it == last || nodes_[*it].name != *key) return nullptr;
      node = &nodes_[*it];
    } else {
      size_t index = std::get<size_t>(e);
      if (node->is_object || index >= node->count) return nullptr;
      node = &nodes_[first[index]];
    }
  }
  return node;
}

std::optional<Position> PositionIndex::ValuePosition(const Path& p) const {
  if (const Node* node = Find(p)) return node->value;
  return std::nullopt;
}

std::optional<Position> PositionIndex::KeyPosition(const Path& p) const {
  if (p.empty() || !std::holds_alternative<std::string>(p.elements().back())) return std::nullopt;
  if (const Node* node = Find(p)) return node->key;
  return std::nullopt;
}

}  // namespace flint::schema
