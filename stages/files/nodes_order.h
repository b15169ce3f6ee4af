// Which nodes (files, directories, links) the files stage creates, and in
// what order: upstream's getOrderedCreationList. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/model.h"
#include "schema/path.h"

namespace flint::stages {

enum class NodeKind { kDirectory, kFile, kSymlink, kHardLink };

// One config entry; `node` points into the config, which outlives it.
struct NodeEntry {
  NodeKind kind;
  const schema::Node* node = nullptr;
  schema::Path at;       // $.storage.files.3
  std::string path;      // the config's path, cleaned
  std::string resolved;  // where it lands in the target (filled in by the caller)

  const schema::File& file() const { return static_cast<const schema::File&>(*node); }
  const schema::Directory& directory() const { return static_cast<const schema::Directory&>(*node); }
  const schema::Link& link() const { return static_cast<const schema::Link&>(*node); }
};

// Components of a cleaned absolute path: "/" is 0, "/etc/motd" is 2.
size_t PathDepth(std::string_view path);

// Directories, files, then links, each in config order (the order in which
// upstream checks for two entries landing on the same path).
std::vector<NodeEntry> CollectNodes(const schema::Storage& storage);

// Creation order: directories, files and symlinks by the depth of where they
// land (stable: at equal depth, in CollectNodes order), then hard links in
// config order, so a hard link may name a deeper file
// (https://github.com/coreos/ignition/issues/800). Upstream's sort is not
// stable; a stable one makes the order reproducible.
std::vector<NodeEntry> CreationOrder(std::vector<NodeEntry> entries);

// "directory", "file", "symlink", "hard link".
std::string_view KindName(NodeKind kind);

}  // namespace flint::stages
