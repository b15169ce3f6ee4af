#include "stages/files/nodes_order.h"

#include <catch2/catch.hpp>

#include "stages/files/nodes_test_fixture.h"

namespace flint::stages {
namespace {

using testing::ConfigOf;
using testing::StorageConfig;

std::vector<std::string> Paths(const std::vector<NodeEntry>& entries) {
  std::vector<std::string> out;
  for (const NodeEntry& e : entries) out.push_back(std::string(KindName(e.kind)) + " " + e.path + " " + e.at.String());
  return out;
}

TEST_CASE("nodes: path depth", "[nodes]") {
  CHECK(PathDepth("/") == 0);
  CHECK(PathDepth("/etc") == 1);
  CHECK(PathDepth("/etc/motd") == 2);
  CHECK(PathDepth("/a/b/c/d/e") == 5);
}

TEST_CASE("nodes: collected in upstream's order, created shallowest first, hard links last", "[nodes]") {
  schema::Config c = ConfigOf(StorageConfig(R"({
    "files": [{"path": "/a/b/c/file"}, {"path": "/top"}, {"path": "/a/x/f"}],
    "directories": [{"path": "/a/b/c"}, {"path": "/a"}],
    "links": [{"path": "/hard", "target": "/a/b/c/file", "hard": true},
              {"path": "/a/sym", "target": "top"},
              {"path": "/z/hard2", "target": "/top", "hard": true}]})"));
  std::vector<NodeEntry> entries = CollectNodes(c.storage);
  CHECK(Paths(entries) == std::vector<std::string>{
                              "directory /a/b/c $.storage.directories.0",
                              "directory /a $.storage.directories.1",
                              "file /a/b/c/file $.storage.files.0",
                              "file /top $.storage.files.1",
                              "file /a/x/f $.storage.files.2",
                              "hard link /hard $.storage.links.0",
                              "symlink /a/sym $.storage.links.1",
                              "hard link /z/hard2 $.storage.links.2",
                          });
  CHECK(Paths(CreationOrder(entries)) == std::vector<std::string>{
                                             "directory /a $.storage.directories.1",
                                             "file /top $.storage.files.1",
                                             "symlink /a/sym $.storage.links.1",
                                             "directory /a/b/c $.storage.directories.0",
                                             "file /a/x/f $.storage.files.2",
                                             "file /a/b/c/file $.storage.files.0",
                                             "hard link /hard $.storage.links.0",
                                             "hard link /z/hard2 $.storage.links.2",
                                         });
}

TEST_CASE("nodes: the depth that orders is where a path lands", "[nodes]") {
  schema::Config c = ConfigOf(StorageConfig(R"({"files": [{"path": "/x"}, {"path": "/etc/deep/motd"}]})"));
  std::vector<NodeEntry> entries = CollectNodes(c.storage);
  entries[0].resolved = "/x";
  entries[1].resolved = "/motd";  // /etc/deep -> / in the target
  std::vector<NodeEntry> ordered = CreationOrder(entries);
  CHECK(ordered[0].path == "/x");
  CHECK(ordered[1].path == "/etc/deep/motd");
  entries[0].resolved = "/var/lib/x";
  CHECK(CreationOrder(entries)[0].path == "/etc/deep/motd");
}

}  // namespace
}  // namespace flint::stages
