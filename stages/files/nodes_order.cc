#include "stages/files/nodes_order.h"

#include <algorithm>

#include "agent/os/root.h"

namespace flint::stages {

size_t PathDepth(std::string_view path) {
  size_t depth = 0;
  bool in_component = false;
  for (char c : path) {
    if (c == '/') {
      in_component = false;
    } else if (!in_component) {
      in_component = true;
      ++depth;
    }
  }
  return depth;
}

std::vector<NodeEntry> CollectNodes(const schema::Storage& storage) {
  std::vector<NodeEntry> out;
  schema::Path storage_at = schema::Path() / "storage";
  auto add = [&](NodeKind kind, const schema::Node& node, schema::Path at) {
    out.push_back({kind, &node, std::move(at), agent::CleanPath("/" + node.path), ""});
  };
  for (size_t i = 0; i < storage.directories.size(); ++i) {
    add(NodeKind::kDirectory, storage.directories[i], storage_at / "directories" / i);
  }
  for (size_t i = 0; i < storage.files.size(); ++i) {
    add(NodeKind::kFile, storage.files[i], storage_at / "files" / i);
  }
  for (size_t i = 0; i < storage.links.size(); ++i) {
    const schema::Link& l = storage.links[i];
    add(l.hard.value_or(false) ? NodeKind::kHardLink : NodeKind::kSymlink, l, storage_at / "links" / i);
  }
  return out;
}

std::vector<NodeEntry> CreationOrder(std::vector<NodeEntry> entries) {
  auto hard = std::stable_partition(entries.begin(), entries.end(),
                                    [](const NodeEntry& e) { return e.kind != NodeKind::kHardLink; });
  std::stable_sort(entries.begin(), hard, [](const NodeEntry& a, const NodeEntry& b) {
    const std::string& pa = a.resolved.empty() ? a.path : a.resolved;
    const std::string& pb = b.resolved.empty() ? b.path : b.resolved;
    return PathDepth(pa) < PathDepth(pb);
  });
  return entries;
}

std::string_view KindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kDirectory:
      return "directory";
    case NodeKind::kFile:
      return "file";
    case NodeKind::kSymlink:
      return "symlink";
    case NodeKind::kHardLink:
      return "hard link";
  }
  return "node";
}

}  // namespace flint::stages
