#include "stages/files/owners.h"

#include <charconv>

#include "agent/error.h"

namespace flint::stages {
namespace {

// The `index`th ':'-separated field of `line`, or nullopt.
std::optional<std::string_view> Field(std::string_view line, int index) {
  for (int i = 0; i < index; ++i) {
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    line.remove_prefix(colon + 1);
  }
  return line.substr(0, line.find(':'));
}

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
         a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

}  // namespace

std::optional<uint32_t> LookupId(std::string_view db, std::string_view name) {
  while (!db.empty()) {
    size_t nl = db.find('\n');
    std::string_view line = db.substr(0, nl);
    db.remove_prefix(nl == std::string_view::npos ? db.size() : nl + 1);
    if (line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-') continue;
    if (Field(line, 0) != name) continue;
    std::optional<std::string_view> id = Field(line, 2);
    if (!id || id->empty()) continue;
    uint32_t value = 0;
    auto [end, ec] = std::from_chars(id->data(), id->data() + id->size(), value);
    if (ec == std::errc() && end == id->data() + id->size()) return value;
  }
  return std::nullopt;
}

Owners::Owners(agent::Root& root) : root_(root) {}

const std::optional<std::string>& Owners::Load(Db& db) {
  std::optional<struct stat> st = root_.Stat(db.path);
  if (db.loaded && st && SameFile(*st, db.key)) return db.text;
  if (db.loaded && !st && !db.text) return db.text;
  db.text = root_.ReadFile(db.path);
  db.key = {};
  if (st) db.key = *st;
  db.loaded = true;
  return db.text;
}

uint32_t Owners::Find(Db& primary, Db& altfiles, const schema::NodeOwner& owner, std::string_view kind,
                      const schema::Path& at) {
  const std::string& name = *owner.name;
  for (Db* db : {&primary, &altfiles}) {
    try {
      const std::optional<std::string>& text = Load(*db);
      if (!text) continue;
      if (std::optional<uint32_t> id = LookupId(*text, name)) return *id;
    } catch (agent::Failure& f) {
      throw f.Field((at / "name").String());
    }
  }
  throw agent::Failure("looking up " + std::string(kind) + " '" + name + "'")
      .Field((at / "name").String())
      .Cause("no such " + std::string(kind) + " in '" + root_.Display(primary.path) + "' or '" +
             root_.Display(altfiles.path) + "'");
}

uid_t Owners::Uid(const schema::NodeOwner& owner, uid_t fallback, const schema::Path& at) {
  if (owner.id) return static_cast<uid_t>(*owner.id);
  if (!owner.name || owner.name->empty()) return fallback;
  return Find(passwd_, lib_passwd_, owner, "user", at);
}

gid_t Owners::Gid(const schema::NodeOwner& owner, gid_t fallback, const schema::Path& at) {
  if (owner.id) return static_cast<gid_t>(*owner.id);
  if (!owner.name || owner.name->empty()) return fallback;
  return Find(group_, lib_group_, owner, "group", at);
}

}  // namespace flint::stages
