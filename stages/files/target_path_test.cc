#include "stages/files/target_path.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "agent/error.h"
#include "tests/temp_dir.h"

namespace flint::stages {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::TempDir;

TEST_CASE("target path: lexical cleaning never leaves the root", "[target]") {
  CHECK(CleanTargetPath("/a/b/../c/") == "/a/c");
  CHECK(CleanTargetPath("/../../etc//passwd") == "/etc/passwd");
  CHECK(CleanTargetPath("") == "/");
  CHECK(CleanTargetPath("/./") == "/");
}

TEST_CASE("target path: writes, reads and modes", "[target]") {
  TempDir tmp;
  TargetRoot root(tmp.path().string());
  root.WriteFile("/etc/motd", "hello\n", 0640);
  CHECK(ReadAll(tmp / "etc/motd") == "hello\n");
  struct stat st;
  REQUIRE(::stat((tmp / "etc/motd").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  REQUIRE(::stat((tmp / "etc").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0755);
  CHECK(root.ReadFile("/etc/motd") == std::optional<std::string>("hello\n"));
  CHECK_FALSE(root.ReadFile("/etc/missing"));
  // No temp file is left beside the target.
  CHECK(std::distance(fs::directory_iterator(tmp / "etc"), fs::directory_iterator()) == 1);
}

TEST_CASE("target path: absolute and ../ symlinks resolve inside the root", "[target]") {
  TempDir tmp;
  TempDir outside;
  fs::create_directories(tmp / "real");
  fs::create_symlink("/", tmp / "etc");  // /etc -> / of the target
  fs::create_symlink("../../../../" + (outside / "y").string(), tmp / "real/x");
  TargetRoot root(tmp.path().string());

  root.WriteFile("/etc/hostname", "node\n", 0644);
  CHECK(ReadAll(tmp / "hostname") == "node\n");  // landed at <root>/hostname

  // The last component is never followed: the link itself is replaced.
  root.WriteFile("/real/x", "data", 0600);
  CHECK(fs::is_regular_file(fs::symlink_status(tmp / "real/x")));
  CHECK_FALSE(fs::exists(outside / "y"));

  // A directory chain through an escaping link stays inside too: the link
  // points at <root>/<outside>, which does not exist, so mkdir -p refuses.
  fs::create_symlink("../../../../../" + outside.path().string(), tmp / "esc");
  CHECK_THROWS_WITH(root.MakeDirs("/esc/sub", 0700),
                    "creating a directory '" + (tmp / "esc").string() + "': File exists");
  CHECK(fs::is_empty(outside.path()));
  // Through a link to a directory inside the root, it works.
  fs::create_symlink("/real", tmp / "alias");
  CHECK(root.MakeDirs("/alias/sub", 0700) == std::vector<std::string>{"/alias/sub"});
  CHECK(fs::is_directory(tmp / "real/sub"));
}

TEST_CASE("target path: directories record what they created", "[target]") {
  TempDir tmp;
  fs::create_directories(tmp / "var");
  TargetRoot root(tmp.path().string());
  CHECK(root.MakeDirs("/var/home/core/.ssh", 0700, 1000, 1000) ==
        std::vector<std::string>{"/var/home", "/var/home/core", "/var/home/core/.ssh"});
  struct stat st;
  REQUIRE(::stat((tmp / "var/home/core").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0700);
  CHECK(st.st_uid == 1000);
  CHECK(root.MakeDirs("/var/home", 0755).empty());
}

TEST_CASE("target path: symlinks, removal and lstat", "[target]") {
  TempDir tmp;
  TargetRoot root(tmp.path().string());
  root.Symlink("/etc/systemd/system/a.service", "/dev/null");
  CHECK(root.ReadLink("/etc/systemd/system/a.service") == std::optional<std::string>("/dev/null"));
  CHECK_THROWS_AS(root.Symlink("/etc/systemd/system/a.service", "/dev/null"), agent::Failure);
  auto st = root.Lstat("/etc/systemd/system/a.service");
  REQUIRE(st);
  CHECK(S_ISLNK(st->st_mode));
  CHECK(root.Remove("/etc/systemd/system/a.service"));
  CHECK_FALSE(root.Remove("/etc/systemd/system/a.service"));
  CHECK_FALSE(root.Lstat("/etc/systemd/system/a.service"));
  CHECK(root.HostPath("/etc/x") == (tmp / "etc/x").string());
}

}  // namespace
}  // namespace flint::stages
