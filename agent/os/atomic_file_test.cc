#include "agent/os/atomic_file.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "agent/error.h"
#include "tests/temp_dir.h"

namespace flint::agent {
namespace {

using flint::testing::ReadAll;
using flint::testing::TempDir;

mode_t ModeOf(const std::filesystem::path& p) {
  struct stat st;
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::vector<std::string> Names(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("atomic file: creates a file with exactly the given mode", "[atomic]") {
  TempDir dir;
  mode_t old_umask = ::umask(077);
  WriteFileAtomic(dir / "cache.json", "{}", 0640);
  ::umask(old_umask);
  CHECK(ReadAll(dir / "cache.json") == "{}");
  CHECK(ModeOf(dir / "cache.json") == 0640);
  CHECK(Names(dir.path()) == std::vector<std::string>{"cache.json"});
}

TEST_CASE("atomic file: replaces an existing file and its mode", "[atomic]") {
  TempDir dir;
  dir.Write("state", "old");
  ::chmod((dir / "state").c_str(), 0644);
  WriteFileAtomic(dir / "state", std::string(100000, 'x'), 0600);
  CHECK(ReadAll(dir / "state") == std::string(100000, 'x'));
  CHECK(ModeOf(dir / "state") == 0600);
  CHECK(Names(dir.path()) == std::vector<std::string>{"state"});
}

TEST_CASE("atomic file: an uncommitted write leaves the old file and no temp file", "[atomic]") {
  TempDir dir;
  dir.Write("state", "old");
  {
    AtomicFile f(dir / "state", 0600);
    CHECK(std::filesystem::exists(f.temp_path()));
    CHECK(f.temp_path().parent_path() == dir.path());
    f.Write("new contents");
  }
  CHECK(ReadAll(dir / "state") == "old");
  CHECK(Names(dir.path()) == std::vector<std::string>{"state"});
}

TEST_CASE("atomic file: a failed rename removes the temp file and keeps the target", "[atomic]") {
  TempDir dir;
  // A non-empty directory cannot be replaced by a file.
  dir.Write("target/keep", "kept");
  try {
    WriteFileAtomic(dir / "target", "bytes", 0640);
    FAIL("expected a failure");
  } catch (const Failure& f) {
    CHECK(f.object() == (dir / "target").string());
    CHECK(f.object_kind() == Failure::ObjectKind::kPath);
    CHECK_FALSE(f.cause().empty());
  }
  CHECK(Names(dir.path()) == std::vector<std::string>{"target"});
  CHECK(ReadAll(dir / "target" / "keep") == "kept");
}

TEST_CASE("atomic file: a missing directory is a failure naming the path", "[atomic]") {
  TempDir dir;
  REQUIRE_THROWS_WITH(WriteFileAtomic(dir / "no" / "file", "x", 0600),
                      "writing '" + (dir / "no" / "file").string() + "': No such file or directory");
}

}  // namespace
}  // namespace flint::agent
