#include "stages/files/nodes_writer.h"

#include "agent/error.h"

namespace flint::stages {
namespace {

constexpr mode_t kDefaultFileMode = 0644;

// Streams into a temp file; a retried download starts over where it began.
class TempFileSink : public agent::ByteSink {
 public:
  explicit TempFileSink(agent::RootTempFile& file) : file_(file), start_(file.size()) {}
  void Write(std::string_view chunk) override { file_.Write(chunk); }
  void Reset() override { file_.Truncate(start_); }

 private:
  agent::RootTempFile& file_;
  off_t start_;
};

// What a fetch failure was about, without spelling out a data URL (it is
// the file's contents: long, and possibly secret).
std::string FetchCause(const agent::Failure& f) {
  if (f.object_kind() != agent::Failure::ObjectKind::kUrl) return f.what();
  std::string source = f.object().rfind("data:", 0) == 0 ? "a data URL" : "'" + f.object() + "'";
  return "fetching " + source + ": " + f.cause();
}

}  // namespace

agent::Failure Refusal(agent::Root& root, const NodeEntry& e, const std::string& why) {
  return agent::Failure("creating " + std::string(KindName(e.kind)))
      .Path(root.Display(e.resolved.empty() ? e.path : e.resolved))
      .Field(e.at.String())
      .Cause(why);
}

void NodeWriter::Create(const NodeEntry& e) {
  try {
    switch (e.kind) {
      case NodeKind::kFile:
        return CreateFile(e);
      case NodeKind::kDirectory:
        return CreateDirectory(e);
      case NodeKind::kSymlink:
        return CreateSymlink(e);
      case NodeKind::kHardLink:
        return CreateHardLink(e);
    }
  } catch (agent::Failure& f) {
    if (f.field().empty()) f.Field(e.at.String());
    throw;
  }
}

agent::Location NodeWriter::Place(const NodeEntry& e) {
  agent::Location at = root_.Locate(e.path, true);
  auto [it, inserted] = placed_.emplace(at.path, &e);
  if (!inserted) {
    const NodeEntry& first = *it->second;
    throw agent::Failure("refusing to create " + std::string(KindName(e.kind)))
        .Path(root_.Display(at.path))
        .Field(e.at.String())
        .Cause("its path '" + e.path + "' now leads where " + first.at.String() + " (path '" + first.path +
               "') was created, through a symlink created by this config");
  }
  return at;
}

void NodeWriter::FetchInto(agent::RootTempFile& file, const schema::Resource& resource, const schema::Path& at) {
  TempFileSink sink(file);
  try {
    fetcher_.Fetch(resource, at, sink);
  } catch (const agent::Failure& f) {
    throw agent::Failure("writing file")
        .Path(root_.Display(file.location().path))
        .Field(f.field().empty() ? at.String() : f.field())
        .Cause(FetchCause(f));
  }
}

void NodeWriter::CreateFile(const NodeEntry& e) {
  const schema::File& f = e.file();
  agent::Location at = Place(e);
  std::optional<struct stat> st = root_.Lstat(at);
  if (f.overwrite.value_or(false)) {
    // A directory cannot be renamed over: remove it. Anything else is
    // replaced by the rename below, so a failed fetch leaves it in place.
    if (st && S_ISDIR(st->st_mode)) root_.RemoveAll(at);
    st.reset();
  }
  if (st && !S_ISREG(st->st_mode)) {
    throw Refusal(root_, e, "a non-regular file exists there already and overwrite is false");
  }
  if (st && f.contents.source) {
    throw Refusal(root_, e, "a file exists there already and overwrite is false");
  }
  uid_t uid = owners_.Uid(f.user, st ? st->st_uid : 0, e.at / "user");
  gid_t gid = owners_.Gid(f.group, st ? st->st_gid : 0, e.at / "group");
  mode_t mode = f.mode ? static_cast<mode_t>(*f.mode) : st ? st->st_mode & 07777 : kDefaultFileMode;

  agent::RootTempFile file(root_, std::move(at));
  if (st) {
    // No source: the existing contents stay, and the appends follow them.
    agent::Fd old = root_.OpenRead(file.location());
    file.CopyFrom(old.get());
  } else {
    FetchInto(file, f.contents, e.at / "contents");
  }
  for (size_t i = 0; i < f.append.size(); ++i) FetchInto(file, f.append[i], e.at / "append" / i);
  file.Commit(uid, gid, mode);
}

}  // namespace flint::stages
