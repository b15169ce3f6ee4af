#include "agent/os/root.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "agent/error.h"
#include "tests/temp_dir.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::TempDir;

// Every path under `dir` (symlinks not followed), relative, with its size.
std::set<std::string> Listing(const fs::path& dir) {
  std::set<std::string> out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    std::string entry = fs::relative(it->path(), dir).string();
    if (it->is_symlink()) {
      entry += " -> " + fs::read_symlink(it->path()).string();
    } else if (it->is_regular_file()) {
      entry += " " + std::to_string(it->file_size());
    }
    out.insert(entry);
  }
  return out;
}

// A scratch target `root/` beside an `outside/` directory that must never
// change, with hostile symlinks planted in the target.
struct HostileTarget {
  TempDir tmp;
  fs::path root = tmp / "root";
  fs::path outside = tmp / "outside";
  std::set<std::string> outside_before;

  HostileTarget() {
    fs::create_directories(root);
    tmp.Write("outside/sentinel", "keep me");
    fs::create_directories(outside / "y");
    // /etc -> / : everything under /etc lands at the top of the root.
    fs::create_symlink("/", root / "etc");
    // /x -> ../../../../<outside>: a ../ chain that escapes a naive join.
    std::string up;
    for (int i = 0; i < 12; ++i) up += "../";
    fs::create_symlink(up + outside.relative_path().string() + "/y", root / "x");
    // An absolute symlink naming the outside directory by its host path.
    fs::create_symlink(outside.string(), root / "abs");
    // A loop.
    fs::create_symlink("loop2", root / "loop1");
    fs::create_symlink("loop1", root / "loop2");
    outside_before = Listing(outside);
  }
};

Root::Resolver Which() {
  return GENERATE(Root::Resolver::kOpenat2, Root::Resolver::kWalk);
}

std::string Name(Root::Resolver r) { return r == Root::Resolver::kWalk ? "walk" : "openat2"; }

mode_t ModeOf(const fs::path& p) {
  struct stat st;
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

TEST_CASE("CleanPath is Go's filepath.Clean", "[root]") {
  CHECK(CleanPath("/a//b/./c/../d") == "/a/b/d");
  CHECK(CleanPath("/../../etc") == "/etc");
  CHECK(CleanPath("/") == "/");
  CHECK(CleanPath("") == ".");
  CHECK(CleanPath("../a/./b/") == "../a/b");
  CHECK(CleanPath("a/../../b") == "../b");
  CHECK(CleanPath("/etc/motd/") == "/etc/motd");
}

TEST_CASE("root: the resolver in use", "[root]") {
  TempDir tmp;
  CHECK(Root(tmp.path(), Root::Resolver::kWalk).resolver() == Root::Resolver::kWalk);
  // The test machines run kernels with openat2 (5.6+).
  CHECK(Root(tmp.path()).resolver() == Root::Resolver::kOpenat2);
  CHECK(Root(tmp.path()).Display("/etc/motd") == tmp.path().string() + "/etc/motd");
  CHECK(Root("/").Display("/etc/motd") == "/etc/motd");
  REQUIRE_THROWS_WITH(Root(tmp / "missing"), Catch::Contains("opening the root directory") &&
                                                 Catch::Contains("No such file or directory"));
}

TEST_CASE("root: hostile symlinks never lead outside", "[root]") {
  Root::Resolver resolver = Which();
  INFO(Name(resolver));
  HostileTarget t;
  Root root(t.root, resolver);
  REQUIRE(root.resolver() == resolver);

  SECTION("/etc -> / keeps /etc/motd at the top of the root") {
    root.WriteFile("/etc/motd", "hello\n", 0644);
    CHECK(ReadAll(t.root / "motd") == "hello\n");
    CHECK(root.changed() == std::vector<std::string>{"/motd"});
    CHECK(root.Resolve("/etc/motd") == "/motd");
    CHECK(root.Resolve("/etc/etc/etc/a/b") == "/a/b");
  }
  SECTION("a ../ chain is clamped at the root") {
    root.WriteFile("/x/file", "inside", 0600);
    fs::path landed = t.root / t.outside.relative_path() / "y" / "file";
    CHECK(ReadAll(landed) == "inside");
    CHECK(ModeOf(landed) == 0600);
    CHECK(root.Resolve("/x/file") == "/" + t.outside.relative_path().string() + "/y/file");
    // The missing directories on the way were created 0755 and recorded.
    CHECK(ModeOf(t.root / t.outside.relative_path()) == 0755);
    CHECK(root.changed().front() == "/" + t.outside.relative_path().begin()->string());
    CHECK(root.changed().back() == "/" + t.outside.relative_path().string() + "/y/file");
  }
  SECTION("an absolute symlink to a host path is a path inside the root") {
    root.WriteFile("/abs/sentinel", "replaced?", 0644);
    CHECK(ReadAll(t.root / t.outside.relative_path() / "sentinel") == "replaced?");
  }
  SECTION("the last component is never followed") {
    root.WriteFile("/x", "a file now", 0644);
    CHECK(fs::is_regular_file(fs::symlink_status(t.root / "x")));
    REQUIRE(root.Lstat("/abs"));
    CHECK(S_ISLNK(root.Lstat("/abs")->st_mode));
    Location at = root.Locate("/abs", false);
    CHECK(at.path == "/abs");
    CHECK(root.ReadLink(at) == t.outside.string());
    root.RemoveAll(at);
    CHECK(!fs::exists(fs::symlink_status(t.root / "abs")));
  }
  SECTION("loops fail with ELOOP") {
    REQUIRE_THROWS_WITH(root.WriteFile("/loop1/f", "x", 0644),
                        Catch::Contains("Too many levels of symbolic links") && Catch::Contains("/loop1/f"));
    REQUIRE_THROWS_WITH(root.Stat("/loop1"), Catch::Contains("Too many levels of symbolic links"));
    CHECK(S_ISLNK(root.Lstat("/loop1")->st_mode));
  }
  SECTION("a file on the way is not a directory") {
    root.WriteFile("/plain", "x", 0644);
    REQUIRE_THROWS_WITH(root.Locate("/plain/f", true), Catch::Contains("Not a directory"));
  }
  SECTION("reads follow the last component inside the root") {
    t.tmp.Write("root/usr/lib/passwd", "core:x:1000:1000::/var/home/core:/bin/bash\n");
    fs::create_directories(t.root / "realetc");
    fs::create_symlink("/usr/lib/passwd", t.root / "realetc/passwd");
    CHECK(root.ReadFile("/realetc/passwd") == "core:x:1000:1000::/var/home/core:/bin/bash\n");
    CHECK(root.ReadFile("/etc/realetc/passwd") == "core:x:1000:1000::/var/home/core:/bin/bash\n");
    CHECK(!root.ReadFile("/realetc/group").has_value());
    CHECK(!root.ReadFile("/nodir/group").has_value());
    // /abs/sentinel names <root><outside>/sentinel, which does not exist.
    CHECK(!root.ReadFile("/abs/sentinel").has_value());
    REQUIRE(root.Stat("/realetc/passwd"));
    CHECK(S_ISREG(root.Stat("/realetc/passwd")->st_mode));
    CHECK(S_ISLNK(root.Lstat("/realetc/passwd")->st_mode));
  }
  SECTION("removing a tree does not follow symlinks in it") {
    fs::create_directories(t.root / "tree/sub");
    t.tmp.Write("root/tree/sub/f", "x");
    fs::create_symlink(t.outside, t.root / "tree/out");
    fs::create_symlink(t.outside, t.root / "tree/sub/out");
    root.RemoveAll(root.Locate("/tree", false));
    CHECK(!fs::exists(t.root / "tree"));
  }
  SECTION("a symlink's target is stored as written") {
    root.Symlink("/etc/shadow", root.Locate("/etc/s", true));
    CHECK(fs::read_symlink(t.root / "s") == "/etc/shadow");
    REQUIRE_THROWS_WITH(root.Chmod(root.Locate("/s", false), 0600),
                        Catch::Contains("refusing to change the mode of") && Catch::Contains("it is a symlink"));
  }
  SECTION("hard links resolve both ends inside the root") {
    root.WriteFile("/x/target", "t", 0644);
    root.HardLink(root.Locate("/x/target", false), root.Locate("/etc/hl", true));
    struct stat a, b;
    REQUIRE(::lstat((t.root / "hl").c_str(), &a) == 0);
    REQUIRE(::lstat((t.root / t.outside.relative_path() / "y/target").c_str(), &b) == 0);
    CHECK(a.st_ino == b.st_ino);
  }
  SECTION("the root itself is refused") {
    REQUIRE_THROWS_WITH(root.Locate("/", true), Catch::Contains("refusing to operate on"));
    REQUIRE_THROWS_WITH(root.Locate("/..", true), Catch::Contains("it is the root directory"));
  }
  CHECK(Listing(t.outside) == t.outside_before);
}

TEST_CASE("root: locating without creating", "[root]") {
  Root::Resolver resolver = Which();
  INFO(Name(resolver));
  TempDir tmp;
  Root root(tmp.path(), resolver);
  CHECK(!root.Find("/a/b/c").has_value());
  CHECK(!root.Lstat("/a/b/c").has_value());
  REQUIRE_THROWS_WITH(root.Locate("/a/b/c", false), Catch::Contains("No such file or directory"));
  CHECK(!fs::exists(tmp / "a"));
  CHECK(root.Resolve("/a/../b/./c") == "/b/c");
  CHECK(root.changed().empty());

  Location at = root.Locate("/a/b/c", true);
  CHECK(at.name == "c");
  CHECK(at.path == "/a/b/c");
  CHECK(root.changed() == std::vector<std::string>{"/a", "/a/b"});
  CHECK(ModeOf(tmp / "a") == 0755);
  CHECK(ModeOf(tmp / "a/b") == 0755);
  root.MakeDirectory(at, 01777);
  CHECK(ModeOf(tmp / "a/b/c") == 01777);
  root.Chmod(root.Locate("/a/b/c", false), 02750);
  CHECK(ModeOf(tmp / "a/b/c") == 02750);
  root.Chown(root.Locate("/a/b/c", false), 1234, 5678);
  struct stat st;
  REQUIRE(::stat((tmp / "a/b/c").c_str(), &st) == 0);
  CHECK(st.st_uid == 1234);
  CHECK(st.st_gid == 5678);
  CHECK(root.changed() == std::vector<std::string>{"/a", "/a/b", "/a/b/c"});
}

TEST_CASE("root: temp files are atomic", "[root]") {
  Root::Resolver resolver = Which();
  INFO(Name(resolver));
  TempDir tmp;
  tmp.Write("etc/motd", "old\n");
  Root root(tmp.path(), resolver);

  SECTION("an uncommitted temp file is removed and the old file kept") {
    {
      RootTempFile file(root, root.Locate("/etc/motd", true));
      file.Write("new contents");
      CHECK(fs::exists(tmp / "etc" / file.temp_name()));
      CHECK(file.temp_name().rfind(".flint.", 0) == 0);
    }
    CHECK(ReadAll(tmp / "etc/motd") == "old\n");
    CHECK(Listing(tmp / "etc") == std::set<std::string>{"motd 4"});
  }
  SECTION("commit sets owner and mode, set-id bits included") {
    RootTempFile file(root, root.Locate("/etc/motd", true));
    file.Write("first");
    file.Truncate(2);
    file.Write("ns");
    CHECK(file.size() == 4);
    file.Commit(1000, 1001, 04755);
    CHECK(ReadAll(tmp / "etc/motd") == "fins");
    CHECK(ModeOf(tmp / "etc/motd") == 04755);
    struct stat st;
    REQUIRE(::stat((tmp / "etc/motd").c_str(), &st) == 0);
    CHECK(st.st_uid == 1000);
    CHECK(st.st_gid == 1001);
    CHECK(Listing(tmp / "etc") == std::set<std::string>{"motd 4"});
    CHECK(root.changed() == std::vector<std::string>{"/etc/motd"});
  }
  SECTION("copying an existing file") {
    RootTempFile file(root, root.Locate("/etc/motd", false));
    Fd old = root.OpenRead(root.Locate("/etc/motd", false));
    file.CopyFrom(old.get());
    file.Write("appended\n");
    file.Commit(0, 0, 0644);
    CHECK(ReadAll(tmp / "etc/motd") == "old\nappended\n");
  }
  root.Sync();
}

}  // namespace
}  // namespace flint::agent
