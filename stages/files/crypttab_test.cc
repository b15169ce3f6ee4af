#include "stages/files/crypttab.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "stages/files/stage_fixture_test.h"

namespace flint::stages {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;

mode_t ModeOf(const fs::path& p) {
  struct stat st;
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

TEST_CASE("crypttab: lines", "[crypttab]") {
  CHECK(CrypttabLine({"root", "/dev/vda4", "1234-abcd", "/etc/luks/root", {"luks", "discard"}}) ==
        "root UUID=1234-abcd /etc/luks/root luks,discard\n");
  CHECK(CrypttabLine({"var", "/dev/vdb", "u2", "none", {"luks", "_netdev"}}) == "var UUID=u2 none luks,_netdev\n");
  CHECK(CrypttabLine({"x", "/dev/vdc", "u3", "", {}}) == "x UUID=u3 none luks\n");
}

TEST_CASE("crypttab: keys from the state, as data URLs", "[crypttab]") {
  CHECK(KeyFromState("data:;base64,c2VjcmV0") == std::optional<std::string>("secret"));
  CHECK(KeyFromState("data:,a%00b") == std::optional<std::string>(std::string("a\0b", 3)));
  CHECK_FALSE(KeyFromState("raw key"));
}

TEST_CASE("crypttab: lines appended, keys written 0600 in a 0700 directory, then forgotten", "[crypttab]") {
  StageFixture f;
  f.root.Write("etc/crypttab", "# from the image\nswap /dev/sdb2 /dev/urandom swap");
  f.state.luks_volumes = {{"root", "/dev/vda4", "1111", "/etc/luks/root", {"luks"}},
                          {"data", "/dev/vdb", "2222", "none", {"luks", "_netdev"}}};
  f.state.luks_persist_key_files = {{"root", "data:;base64,c2VjcmV0"}};
  f.Config(R"({"ignition":{"version":"3.4.0"}})");
  agent::StageContext ctx = f.Context();
  WriteCrypttab(ctx, f.target());
  CHECK(ReadAll(f.root / "etc/crypttab") ==
        "# from the image\nswap /dev/sdb2 /dev/urandom swap\n"
        "root UUID=1111 /etc/luks/root luks\n"
        "data UUID=2222 none luks,_netdev\n");
  CHECK(ModeOf(f.root / "etc/crypttab") == 0600);
  CHECK(ReadAll(f.root / "etc/luks/root") == "secret");
  CHECK(ModeOf(f.root / "etc/luks/root") == 0600);
  CHECK(ModeOf(f.root / "etc/luks") == 0700);
  CHECK(f.state.luks_persist_key_files.empty());
  CHECK(f.target().changed() == ChangedPaths{"/etc/luks", "/etc/luks/root", "/etc/crypttab"});
  CHECK(f.sink.Text().find("secret") == std::string::npos);
}

TEST_CASE("crypttab: a key file without a key in the state fails, naming the volume", "[crypttab]") {
  StageFixture f;
  f.state.luks_volumes = {{"root", "/dev/vda4", "1111", "/etc/luks/root", {"luks"}}};
  agent::StageContext ctx = f.Context();
  CHECK_THROWS_WITH(WriteCrypttab(ctx, f.target()), "writing the key file of LUKS volume 'root' '" +
                                                     (f.root / "etc/luks/root").string() +
                                                     "': the state file holds no key for it");
  CHECK_FALSE(fs::exists(f.root / "etc/crypttab"));
}

TEST_CASE("crypttab: no volumes, no crypttab", "[crypttab]") {
  StageFixture f;
  agent::StageContext ctx = f.Context();
  WriteCrypttab(ctx, f.target());
  CHECK_FALSE(fs::exists(f.root / "etc/crypttab"));
  CHECK(f.target().changed().empty());
}

}  // namespace
}  // namespace flint::stages
