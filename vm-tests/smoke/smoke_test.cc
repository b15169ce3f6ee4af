// Runs inside the test VM after smoke/guest.sh set up its disks: checks the kernel's view of
// the partitions, the md array and the dm-crypt mapping through sysfs and udev's symlinks.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

// The first line of a sysfs attribute, or "<missing>".
std::string Sysfs(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "<missing>";
  return line;
}

// "/dev/md127" for "/dev/md/smoke": where a udev symlink points.
std::string Resolve(const fs::path& link) {
  std::error_code ec;
  fs::path target = fs::canonical(link, ec);
  return ec ? "<unresolved: " + ec.message() + ">" : target.string();
}

}  // namespace

TEST_CASE("the kernel sees the GPT partitions sfdisk wrote") {
  struct Want {
    const char* name;
    const char* start;
    const char* size;
  };
  for (const Want& w : {Want{"vda1", "2048", "32768"}, Want{"vda2", "34816", "32768"},
                        Want{"vda3", "67584", "65536"}, Want{"vda4", "133120", "32768"},
                        Want{"vdb1", "2048", "32768"}}) {
    INFO(w.name);
    fs::path dir = fs::path("/sys/class/block") / w.name;
    CHECK(Sysfs(dir / "start") == w.start);
    CHECK(Sysfs(dir / "size") == w.size);
  }
  CHECK_FALSE(fs::exists("/sys/class/block/vda5"));
}

TEST_CASE("udev names the partitions by their GPT labels") {
  CHECK(Resolve("/dev/disk/by-partlabel/root") == "/dev/vda1");
  CHECK(Resolve("/dev/disk/by-partlabel/raid-a") == "/dev/vda2");
  CHECK(Resolve("/dev/disk/by-partlabel/luks") == "/dev/vda3");
  CHECK(Resolve("/dev/disk/by-partlabel/data") == "/dev/vda4");
  CHECK(Resolve("/dev/disk/by-partlabel/raid-b") == "/dev/vdb1");
  CHECK(Resolve("/dev/disk/by-partuuid/5a1e0000-0000-4000-8000-0000000000a1") == "/dev/vda1");
}

TEST_CASE("the md array is a RAID1 of vda2 and vdb1") {
  std::string dev = Resolve("/dev/md/smoke");
  INFO("/dev/md/smoke -> " << dev);
  REQUIRE(dev.rfind("/dev/md", 0) == 0);
  fs::path md = fs::path("/sys/class/block") / fs::path(dev).filename() / "md";
  CHECK(Sysfs(md / "level") == "raid1");
  CHECK(Sysfs(md / "raid_disks") == "2");
  CHECK(Sysfs(md / "metadata_version") == "1.2");
  CHECK(fs::exists(md / "dev-vda2"));
  CHECK(fs::exists(md / "dev-vdb1"));
}

TEST_CASE("the LUKS2 volume on vda3 is open through dm-crypt") {
  std::string dev = Resolve("/dev/mapper/smoke-crypt");
  INFO("/dev/mapper/smoke-crypt -> " << dev);
  REQUIRE(dev.rfind("/dev/dm-", 0) == 0);
  fs::path dm = fs::path("/sys/class/block") / fs::path(dev).filename();
  CHECK(Sysfs(dm / "dm" / "name") == "smoke-crypt");
  CHECK(Sysfs(dm / "dm" / "uuid") == "CRYPT-LUKS2-5a1e0000000040008000000000000003-smoke-crypt");
  CHECK(fs::exists(dm / "slaves" / "vda3"));
  // 32 MiB partition less the 16 MiB LUKS2 header.
  CHECK(Sysfs(dm / "size") == "32768");
}

TEST_CASE("the flint binary is reachable at its host path") {
  CHECK(access(FLINT_BINARY, X_OK) == 0);
}
