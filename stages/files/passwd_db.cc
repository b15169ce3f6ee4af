#include "stages/files/passwd_db.h"

#include <charconv>
#include <vector>

namespace flint::stages {
namespace {

std::vector<std::string_view> Split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t end = line.find(sep, start);
    out.push_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::optional<unsigned long> Number(std::string_view s) {
  unsigned long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Calls fn(fields) for each line whose first field is `name`, until fn returns true.
template <class Fn>
void ForLinesNamed(std::string_view text, std::string_view name, Fn fn) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string_view> fields = Split(line, ':');
    if (fields[0] == name && fn(fields)) return;
  }
}

}  // namespace

std::optional<PasswdEntry> FindUser(std::string_view passwd, std::string_view name) {
  std::optional<PasswdEntry> found;
  ForLinesNamed(passwd, name, [&](const std::vector<std::string_view>& f) {
    if (f.size() < 7) return false;
    auto uid = Number(f[2]);
    auto gid = Number(f[3]);
    if (!uid || !gid) return false;
    found = PasswdEntry{std::string(f[0]), static_cast<uid_t>(*uid), static_cast<gid_t>(*gid), std::string(f[5])};
    return true;
  });
  return found;
}

std::optional<gid_t> FindGroup(std::string_view group, std::string_view name) {
  std::optional<gid_t> found;
  ForLinesNamed(group, name, [&](const std::vector<std::string_view>& f) {
    if (f.size() < 4) return false;
    auto gid = Number(f[2]);
    if (!gid) return false;
    found = static_cast<gid_t>(*gid);
    return true;
  });
  return found;
}

}  // namespace flint::stages
