// Creates one node (file, directory, symlink, hard link) in the target with
// upstream's overwrite rules:
//   overwrite true:  whatever is there is removed first (a file is instead
//                    replaced by the atomic rename, so a failed fetch keeps it);
//   overwrite false: a file with contents.source over an existing file fails;
//                    a file without a source keeps the existing contents and
//                    appends; an existing directory only gets owner and mode;
//                    an existing symlink to the same target is left alone; an
//                    existing hard link must be the target's inode.
// Defaults: files 0644, directories 0755, owner root:root for new nodes, the
// existing owner and mode for existing ones.
#pragma once

#include <map>
#include <string>

#include "agent/fetch/fetcher.h"
#include "agent/log.h"
#include "agent/os/root.h"
#include "stages/files/nodes_order.h"
#include "stages/files/owners.h"

namespace flint::stages {

class NodeWriter {
 public:
  NodeWriter(agent::Root& root, agent::Fetcher& fetcher, Owners& owners, agent::Log& log)
      : root_(root), fetcher_(fetcher), owners_(owners), log_(log) {}

  // Throws agent::Failure naming the operation, path, field and cause.
  void Create(const NodeEntry& e);

 private:
  // Locates the entry (creating missing parents) and refuses a place an
  // earlier entry of this run already took (through a symlink created since).
  agent::Location Place(const NodeEntry& e);
  void CreateFile(const NodeEntry& e);
  void CreateDirectory(const NodeEntry& e);
  void CreateSymlink(const NodeEntry& e);
  void CreateHardLink(const NodeEntry& e);
  void FetchInto(agent::RootTempFile& file, const schema::Resource& resource, const schema::Path& at);

  agent::Root& root_;
  agent::Fetcher& fetcher_;
  Owners& owners_;
  agent::Log& log_;
  std::map<std::string, const NodeEntry*> placed_;
};

// A Failure for entry `e` refusing to go on because of what is there.
agent::Failure Refusal(agent::Root& root, const NodeEntry& e, const std::string& why);

}  // namespace flint::stages
