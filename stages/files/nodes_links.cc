// Directories, symlinks and hard links (files are in nodes_writer.cc).
#include "agent/error.h"
#include "stages/files/nodes_writer.h"

namespace flint::stages {
namespace {

constexpr mode_t kDefaultDirectoryMode = 0755;

bool Overwrite(const schema::Node& n) { return n.overwrite.value_or(false); }

}  // namespace

void NodeWriter::CreateDirectory(const NodeEntry& e) {
  const schema::Directory& d = e.directory();
  agent::Location at = Place(e);
  std::optional<struct stat> st = root_.Lstat(at);
  if (st && Overwrite(d)) {
    root_.RemoveAll(at);
    st.reset();
  }
  if (st && !S_ISDIR(st->st_mode)) {
    throw Refusal(root_, e, "a non-directory already exists there and overwrite is false");
  }
  uid_t uid = owners_.Uid(d.user, st ? st->st_uid : 0, e.at / "user");
  gid_t gid = owners_.Gid(d.group, st ? st->st_gid : 0, e.at / "group");
  std::optional<mode_t> mode;
  if (d.mode) mode = static_cast<mode_t>(*d.mode);
  if (!st) {
    if (!mode) mode = kDefaultDirectoryMode;
    root_.MakeDirectory(at, *mode);
  }
  root_.Chown(at, uid, gid);
  // After the chown, which may clear set-id bits; an existing directory
  // keeps its mode unless the config gives one.
  if (mode) root_.Chmod(at, *mode);
}

void NodeWriter::CreateSymlink(const NodeEntry& e) {
  const schema::Link& l = e.link();
  const std::string target = l.target.value_or("");
  agent::Location at = Place(e);
  std::optional<struct stat> st = root_.Lstat(at);
  if (st && Overwrite(l)) {
    root_.RemoveAll(at);
    st.reset();
  }
  if (st) {
    if (!S_ISLNK(st->st_mode)) {
      throw Refusal(root_, e, "a non-symlink already exists there and overwrite is false");
    }
    std::string existing = root_.ReadLink(at);
    if (agent::CleanPath(existing) != agent::CleanPath(target)) {
      throw Refusal(root_, e, "a symlink exists there pointing to '" + existing + "', not '" + target +
                                  "', and overwrite is false");
    }
    // Upstream leaves an identical symlink alone, owner included.
    log_.Info("symlink '" + e.path + "' -> '" + target + "' already exists, doing nothing");
    return;
  }
  root_.Symlink(target, at);
  // Upstream defaults a new symlink's owner to its target's (stat follows
  // the link); here the target is looked up inside the root, never on the
  // host.
  uid_t default_uid = 0;
  gid_t default_gid = 0;
  try {
    if (std::optional<struct stat> t = root_.Stat(at.path)) {
      default_uid = t->st_uid;
      default_gid = t->st_gid;
    }
  } catch (const agent::Failure&) {
    // A dangling or looping target: root:root.
  }
  root_.Chown(at, owners_.Uid(l.user, default_uid, e.at / "user"),
              owners_.Gid(l.group, default_gid, e.at / "group"));
}

void NodeWriter::CreateHardLink(const NodeEntry& e) {
  const schema::Link& l = e.link();
  const std::string target = agent::CleanPath("/" + l.target.value_or(""));
  agent::Location at = Place(e);
  std::optional<struct stat> st = root_.Lstat(at);
  if (st && Overwrite(l)) {
    root_.RemoveAll(at);
    st.reset();
  }
  std::optional<agent::Location> target_at = root_.Find(target);
  std::optional<struct stat> target_st;
  if (target_at) target_st = root_.Lstat(*target_at);
  if (!target_st) {
    throw Refusal(root_, e, "the target '" + target + "' does not exist").Field((e.at / "target").String());
  }
  if (st) {
    if (st->st_dev != target_st->st_dev || st->st_ino != target_st->st_ino) {
      throw Refusal(root_, e, "a file already exists there but is not the target '" + target +
                                  "', and overwrite is false");
    }
    log_.Info("hard link '" + e.path + "' to '" + target + "' already exists, doing nothing");
    return;
  }
  // Like upstream, a hard link gets no owner or mode of its own: it shares
  // the target's inode.
  root_.HardLink(*target_at, at);
}

}  // namespace flint::stages
