#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "agent/error.h"
#include "agent/os/root.h"
#include "tests/temp_dir.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

Root::Resolver AnyResolver() { return GENERATE(Root::Resolver::kOpenat2, Root::Resolver::kWalk); }

TEST_CASE("root paths: mkdir -p records what it created, with mode and owner", "[root]") {
  TempDir tmp;
  fs::create_directories(tmp / "var");
  Root root(tmp.path(), AnyResolver());
  CHECK(root.MakeDirs("/var/home/core/.ssh", 0700, 1000, 1000) ==
        std::vector<std::string>{"/var/home", "/var/home/core", "/var/home/core/.ssh"});
  struct stat st;
  REQUIRE(::stat((tmp / "var/home/core").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0700);
  CHECK(st.st_uid == 1000);
  CHECK(root.MakeDirs("/var/home", 0755).empty());
  CHECK(root.changed() == std::vector<std::string>{"/var/home", "/var/home/core", "/var/home/core/.ssh"});
}

TEST_CASE("root paths: mkdir -p follows links inside the root and never out of it", "[root]") {
  TempDir tmp;
  TempDir outside;
  fs::create_directories(tmp / "real");
  Root root(tmp.path(), AnyResolver());
  // Through a link to a directory inside the root, it works.
  fs::create_symlink("/real", tmp / "alias");
  CHECK(root.MakeDirs("/alias/sub", 0700) == std::vector<std::string>{"/real/sub"});
  CHECK(fs::is_directory(tmp / "real/sub"));
  // A link that escapes resolves to <root>/<outside>, which is missing: the
  // dangling link is refused rather than replaced or followed out.
  fs::create_symlink("../../../../../" + outside.path().string(), tmp / "esc");
  CHECK_THROWS_WITH(root.MakeDirs("/esc/sub", 0700), Catch::Contains("a dangling symlink is in the way"));
  CHECK(fs::is_empty(outside.path()));
  // A file in the way is not a directory.
  root.WriteFile("/file", "x", 0644);
  CHECK_THROWS_WITH(root.MakeDirs("/file/sub", 0755), Catch::Contains("Not a directory"));
}

TEST_CASE("root paths: symlinks by path, removal, owner and mode", "[root]") {
  TempDir tmp;
  Root root(tmp.path(), AnyResolver());
  root.Symlink("/etc/systemd/system/a.service", "/dev/null");
  CHECK(fs::read_symlink(tmp / "etc/systemd/system/a.service") == "/dev/null");
  CHECK(root.ReadLink("/etc/systemd/system/a.service") == std::optional<std::string>("/dev/null"));
  CHECK_FALSE(root.ReadLink("/etc/systemd/system/missing.service"));
  CHECK_FALSE(root.ReadLink("/etc/systemd"));  // a directory is no link
  CHECK_THROWS_AS(root.Symlink("/etc/systemd/system/a.service", "/dev/null"), Failure);
  CHECK(root.Remove("/etc/systemd/system/a.service"));
  CHECK_FALSE(root.Remove("/etc/systemd/system/a.service"));
  CHECK_FALSE(fs::exists(fs::symlink_status(tmp / "etc/systemd/system/a.service")));

  root.WriteFile("/etc/key", "k", 0644);
  root.SetOwnerAndMode("/etc/key", 12, 34, 04600);
  struct stat st;
  REQUIRE(::lstat((tmp / "etc/key").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 04600);  // set after the chown, so the set-id bit stays
  CHECK(st.st_uid == 12);
  CHECK(st.st_gid == 34);
}

}  // namespace
}  // namespace flint::agent
