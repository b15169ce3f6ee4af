#include "stages/kargs_helper.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "tests/temp_dir.h"

namespace flint::stages {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::TempDir;
using Words = std::vector<std::string>;

TEST_CASE("kargs helper: kernel command line words keep quoted blanks", "[kargs]") {
  CHECK(SplitKernelArgs("  root=UUID=1 rw  foo=\"a b\" quiet\n") == Words{"root=UUID=1", "rw", "foo=\"a b\"", "quiet"});
  CHECK(SplitKernelArgs("").empty());
}

TEST_CASE("kargs helper: appending once, removing every copy, in order", "[kargs]") {
  Words args{"rw", "quiet", "console=tty0", "quiet"};
  CHECK(ApplyKargs(args, {{true, "console=ttyS0"}, {false, "quiet"}, {true, "rw"}}) ==
        Words{"rw", "console=tty0", "console=ttyS0"});
  CHECK(ApplyKargs(args, {{false, "absent"}}) == args);
  CHECK(ApplyKargs({}, {{true, "a"}, {false, "a"}}).empty());
}

TEST_CASE("kargs helper: BLS entries", "[kargs]") {
  const std::string entry =
      "title Fedora CoreOS 39\nversion 6.5.6\nlinux /ostree/vmlinuz\ninitrd /ostree/initramfs.img\n"
      "options root=UUID=abc rw quiet\n";
  CHECK(EditBlsEntry(entry, {{true, "console=ttyS0,115200n8"}, {false, "quiet"}}) ==
        "title Fedora CoreOS 39\nversion 6.5.6\nlinux /ostree/vmlinuz\ninitrd /ostree/initramfs.img\n"
        "options root=UUID=abc rw console=ttyS0,115200n8\n");
  CHECK(EditBlsEntry(entry, {{true, "rw"}, {false, "absent"}}) == entry);
  // Several options lines are merged into the first when something changes.
  CHECK(EditBlsEntry("options a b\ntitle t\noptions c\n", {{true, "d"}}) == "options a b c d\ntitle t\n");
  // An entry with no options line gets one.
  CHECK(EditBlsEntry("title t\nlinux /v", {{true, "x=1"}}) == "title t\nlinux /v\noptions x=1\n");
  // "optionsfoo" is not the options key.
  CHECK(EditBlsEntry("optionsfoo a\n", {{false, "a"}}) == "optionsfoo a\n");
}

TEST_CASE("kargs helper: arguments", "[kargs]") {
  KargsHelperOptions o;
  std::string error;
  REQUIRE(ParseKargsHelperArgs({"--should-exist", "a=1", "--should-not-exist=b", "--boot-dir", "/boot",
                                "--cmdline", "/tmp/c", "--reboot-flag", "/run/r"},
                               o, error));
  CHECK(o.ops == std::vector<KargsOp>{{true, "a=1"}, {false, "b"}});
  CHECK(o.boot_dir == "/boot");
  CHECK(o.boot_device == "/dev/disk/by-label/boot");
  CHECK(o.cmdline == "/tmp/c");
  CHECK(o.reboot_flag == "/run/r");
  KargsHelperOptions bad;
  CHECK_FALSE(ParseKargsHelperArgs({"--frobnicate", "x"}, bad, error));
  CHECK(error == "unknown option '--frobnicate'");
  CHECK_FALSE(ParseKargsHelperArgs({"--should-exist"}, bad, error));
  CHECK(error == "option '--should-exist' needs a value");
}

struct Boot {
  Boot() {
    dir.Write("boot/loader/entries/ostree-1.conf", "title A\noptions root=UUID=abc rw quiet\n");
    dir.Write("boot/loader/entries/ostree-2.conf", "title B\noptions root=UUID=abc ro quiet\n");
    dir.Write("boot/loader/entries/notes.txt", "options quiet\n");
    dir.Write("cmdline", "root=UUID=abc rw quiet\n");
    o.boot_dir = (dir / "boot").string();
    o.cmdline = (dir / "cmdline").string();
    o.reboot_flag = (dir / "run/reboot").string();
  }
  int Run() { return RunKargsHelper(o, out, err); }
  TempDir dir;
  KargsHelperOptions o;
  std::ostringstream out, err;
};

TEST_CASE("kargs helper: changed entries request a reboot", "[kargs]") {
  Boot b;
  b.o.ops = {{true, "console=ttyS0"}, {false, "quiet"}};
  CHECK(b.Run() == 0);
  CHECK(ReadAll(b.dir / "boot/loader/entries/ostree-1.conf") == "title A\noptions root=UUID=abc rw console=ttyS0\n");
  CHECK(ReadAll(b.dir / "boot/loader/entries/ostree-2.conf") == "title B\noptions root=UUID=abc ro console=ttyS0\n");
  CHECK(ReadAll(b.dir / "boot/loader/entries/notes.txt") == "options quiet\n");
  CHECK(fs::exists(b.dir / "run/reboot"));
  CHECK(b.out.str().find("requested a reboot") != std::string::npos);
}

TEST_CASE("kargs helper: nothing to change, no reboot", "[kargs]") {
  Boot b;
  b.o.ops = {{true, "rw"}, {true, "quiet"}, {false, "absent"}};
  b.dir.Write("boot/loader/entries/ostree-2.conf", "title B\noptions root=UUID=abc rw quiet\n");
  CHECK(b.Run() == 0);
  CHECK_FALSE(fs::exists(b.dir / "run/reboot"));
  CHECK(b.out.str() == "the boot entries already have the requested kernel arguments\n");
}

TEST_CASE("kargs helper: entries changed but the running kernel already matches: no reboot", "[kargs]") {
  Boot b;
  b.dir.Write("cmdline", "root=UUID=abc rw\n");
  b.o.ops = {{false, "quiet"}};
  CHECK(b.Run() == 0);
  CHECK(ReadAll(b.dir / "boot/loader/entries/ostree-1.conf") == "title A\noptions root=UUID=abc rw\n");
  CHECK_FALSE(fs::exists(b.dir / "run/reboot"));
}

TEST_CASE("kargs helper: no entries is a failure", "[kargs]") {
  Boot b;
  fs::remove_all(b.dir / "boot/loader/entries");
  fs::create_directories(b.dir / "boot/loader/entries");
  b.o.ops = {{true, "a"}};
  CHECK(b.Run() == 1);
  CHECK(b.err.str() == "kargs-helper: listing boot entries '" + (b.dir / "boot/loader/entries").string() +
                           "': no *.conf entries\n");
}

TEST_CASE("kargs helper: no arguments, nothing touched", "[kargs]") {
  Boot b;
  CHECK(b.Run() == 0);
  CHECK(b.out.str().empty());
}

}  // namespace
}  // namespace flint::stages
