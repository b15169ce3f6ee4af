// The disks stage in the test VM (vm-tests/README.md), through the flint binary:
// `flint -stage disks` with a config cache, on four scratch virtio disks, checked
// against the guest's own view (sfdisk -d, blkid -p, /proc/mdstat, mdadm --detail,
// cryptsetup status, the state file). The cases run in order and share the disks:
// vda partitions, vdb filesystems, vdc + vdd RAID1, LUKS and a whole config, then RAID0,
// vde a damaged table, vdf LUKS bound with Clevis to real tang servers on the host.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "agent/os/runner.h"
#include "guest_helpers.h"

using namespace flint::vm_guest;  // NOLINT: the helpers are this file's vocabulary

// ---------------------------------------------------------------------------- partitions (vda)

TEST_CASE("partitions: create on a blank disk with wipeTable, number 0 last") {
  RunResult r = Flint(R"({"disks":[{"device":"/dev/vda","wipeTable":true,"partitions":[)" + PartJson(0, "p3", 32, 3) +
                      "," + PartJson(1, "p1", 64, 1, R"(,"startMiB":0)") + "," + PartJson(2, "p2", 64, 2) + "]}]}");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(Parts("/dev/vda") == std::vector<std::string>{Part("/dev/vda1", 2048, 131072, Guid(1), "p1"),
                                                      Part("/dev/vda2", 133120, 131072, Guid(2), "p2"),
                                                      Part("/dev/vda3", 264192, 65536, Guid(3), "p3")});
  CHECK(fs::canonical("/dev/disk/by-partlabel/p3").string() == "/dev/vda3");
  CHECK(std::ifstream("/sys/class/block/vda3/start").good());
}

TEST_CASE("partitions: resize the last partition in place") {
  RunResult r = Flint(R"({"disks":[{"device":"/dev/vda","partitions":[)" +
                      PartJson(3, "p3", 96, 3, R"(,"resize":true)") + "]}]}");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(Parts("/dev/vda").at(2) == Part("/dev/vda3", 264192, 196608, Guid(3), "p3"));
  CHECK(Must({"cat", "/sys/class/block/vda3/size"}) == "196608\n");
}

TEST_CASE("partitions: a mismatch without wipe or resize fails naming the field and what differs") {
  std::vector<std::string> before = Parts("/dev/vda");
  RunResult r = Flint(R"({"disks":[{"device":"/dev/vda","partitions":[)" + PartJson(1, "p1", 32, 1) + "]}]}");
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.out, "$.storage.disks.0.partitions.0"));
  CHECK(Contains(r.out, "/dev/vda"));
  CHECK(Parts("/dev/vda") == before);
}

TEST_CASE("partitions: delete one and recreate another with a new label") {
  RunResult r = Flint(R"({"disks":[{"device":"/dev/vda","partitions":[)"
                      R"({"number":2,"shouldExist":false,"wipePartitionEntry":true},)" +
                      PartJson(1, "p1new", 64, 11, R"(,"startMiB":1,"wipePartitionEntry":true)") + "]}]}");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(Parts("/dev/vda") == std::vector<std::string>{Part("/dev/vda1", 2048, 131072, Guid(11), "p1new"),
                                                      Part("/dev/vda3", 264192, 196608, Guid(3), "p3")});
  CHECK_FALSE(fs::exists("/sys/class/block/vda2"));
}

TEST_CASE("partitions: number 0 matches by label, a new label takes the next free number") {
  RunResult r = Flint(R"({"disks":[{"device":"/dev/vda","partitions":[)" + PartJson(0, "p3", 96, 3) + "," +
                      PartJson(0, "p4", 16, 4) + "]}]}");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  // Start 0: the first sector of the largest free block, the one after p3 (as sgdisk).
  CHECK(Parts("/dev/vda") == std::vector<std::string>{Part("/dev/vda1", 2048, 131072, Guid(11), "p1new"),
                                                      Part("/dev/vda2", 460800, 32768, Guid(4), "p4"),
                                                      Part("/dev/vda3", 264192, 196608, Guid(3), "p3")});
}

TEST_CASE("partitions: a mounted partition is refused") {
  Must({"mkfs.ext4", "-q", "-F", "/dev/vda1"});
  fs::create_directories("/tmp/busy");
  Must({"mount", "/dev/vda1", "/tmp/busy"});
  std::vector<std::string> before = Parts("/dev/vda");
  RunResult r = Flint(R"({"disks":[{"device":"/dev/vda","partitions":[)"
                      R"({"number":1,"shouldExist":false,"wipePartitionEntry":true}]}]})");
  Sh({"umount", "/tmp/busy"});
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.out, "refusing to"));
  CHECK(Contains(r.out, "mounted at /tmp/busy"));
  CHECK(Parts("/dev/vda") == before);
}

// ---------------------------------------------------------------------------- filesystems (vdb)

namespace {
const char* kFsDisk = R"({"device":"/dev/vdb","wipeTable":true,"partitions":[
  {"label":"fs-ext4","sizeMiB":64},{"label":"fs-xfs","sizeMiB":320},{"label":"fs-btrfs","sizeMiB":128},
  {"label":"fs-vfat","sizeMiB":32},{"label":"fs-swap","sizeMiB":16},{"label":"fs-none","sizeMiB":16}]})";

std::string FsJson(const std::string& part, const std::string& format, const std::string& extra) {
  return R"({"device":"/dev/disk/by-partlabel/)" + part + R"(","format":")" + format + "\"" + extra + "}";
}
}  // namespace

TEST_CASE("filesystems: each format with label and UUID on a fresh layout") {
  RunResult r =
      Flint(std::string(R"({"disks":[)") + kFsDisk + R"(],"filesystems":[)" +
            FsJson("fs-ext4", "ext4", R"(,"label":"e4","uuid":"3f9b7a1e-2c4d-4e5f-8a6b-7c8d9e0f1a2b")") + "," +
            FsJson("fs-xfs", "xfs", R"(,"label":"x","uuid":"6a1c9f0e-1111-4222-8333-944455556666")") + "," +
            FsJson("fs-btrfs", "btrfs", R"(,"label":"b","uuid":"7b2d0a1f-2222-4333-8444-a55566667777")") + "," +
            FsJson("fs-vfat", "vfat", R"(,"label":"EFI","uuid":"2E24-EC82")") + "," +
            FsJson("fs-swap", "swap", R"(,"label":"sw","uuid":"8c3e1b20-3333-4444-8555-b66677778888")") + "]}");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(Blkid("/dev/vdb1") == "TYPE=ext4 LABEL=e4 UUID=3f9b7a1e-2c4d-4e5f-8a6b-7c8d9e0f1a2b");
  CHECK(Blkid("/dev/vdb2") == "TYPE=xfs LABEL=x UUID=6a1c9f0e-1111-4222-8333-944455556666");
  CHECK(Blkid("/dev/vdb3") == "TYPE=btrfs LABEL=b UUID=7b2d0a1f-2222-4333-8444-a55566667777");
  CHECK(Blkid("/dev/vdb4") == "TYPE=vfat LABEL=EFI UUID=2E24-EC82");
  CHECK(Blkid("/dev/vdb5") == "TYPE=swap LABEL=sw UUID=8c3e1b20-3333-4444-8555-b66677778888");
  CHECK(Blkid("/dev/vdb6") == "");
}

TEST_CASE("filesystems: format none erases a block device, with and without a filesystem") {
  Must({"mkfs.ext4", "-q", "-F", "/dev/vdb6"});
  REQUIRE(Contains(Blkid("/dev/vdb6"), "TYPE=ext4"));
  for (int i = 0; i < 2; ++i) {
    RunResult r = Flint(R"({"filesystems":[)" + FsJson("fs-none", "none", R"(,"wipeFilesystem":true)") + "]}");
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(Blkid("/dev/vdb6") == "");
  }
}

TEST_CASE("filesystems: keep a matching filesystem, wipe on request, refuse a different one") {
  fs::create_directories("/tmp/fsmnt");
  Must({"mount", "/dev/vdb1", "/tmp/fsmnt"});
  std::ofstream("/tmp/fsmnt/marker") << "kept";
  Must({"umount", "/tmp/fsmnt"});
  auto marker = [] {
    Must({"mount", "/dev/vdb1", "/tmp/fsmnt"});
    bool there = fs::exists("/tmp/fsmnt/marker");
    Must({"umount", "/tmp/fsmnt"});
    return there;
  };
  const std::string uuid = R"(,"uuid":"3F9B7A1E-2C4D-4E5F-8A6B-7C8D9E0F1A2B")";  // compared case-insensitively
  RunResult keep = Flint(R"({"filesystems":[)" + FsJson("fs-ext4", "ext4", R"(,"label":"e4")" + uuid) + "]}");
  INFO(keep.out);
  REQUIRE(keep.exit_code == 0);
  CHECK(Contains(keep.out, "already correctly formatted"));
  CHECK(marker());

  RunResult label = Flint(R"({"filesystems":[)" + FsJson("fs-ext4", "ext4", R"(,"label":"other")") + "]}");
  INFO(label.out);
  CHECK(label.exit_code == 1);
  CHECK(Contains(label.out, "label \"e4\" (want \"other\")"));
  CHECK(Contains(label.out, "$.storage.filesystems.0"));
  RunResult type = Flint(R"({"filesystems":[)" + FsJson("fs-ext4", "xfs", "") + "]}");
  INFO(type.out);
  CHECK(type.exit_code == 1);
  CHECK(Contains(type.out, "type \"ext4\" (want \"xfs\")"));
  CHECK(Contains(type.out, "/dev/disk/by-partlabel/fs-ext4"));
  CHECK(marker());

  RunResult wipe =
      Flint(R"({"filesystems":[)" + FsJson("fs-ext4", "ext4", R"(,"label":"e4","wipeFilesystem":true)" + uuid) + "]}");
  INFO(wipe.out);
  REQUIRE(wipe.exit_code == 0);
  CHECK_FALSE(marker());
  CHECK(Blkid("/dev/vdb1") == "TYPE=ext4 LABEL=e4 UUID=3f9b7a1e-2c4d-4e5f-8a6b-7c8d9e0f1a2b");
}

TEST_CASE("filesystems: an ambivalent probe reuses a matching filesystem, else is refused") {
  // A swap header in the first page of the btrfs partition (btrfs starts at 64 KiB): blkid
  // then sees two filesystems and chooses neither. udev's blkid builtin fails on it too, so
  // /dev/disk/by-partlabel/fs-btrfs goes away: the config names /dev/vdb3.
  Must({"dd", "if=/dev/zero", "of=/tmp/swap.img", "bs=1M", "count=1"});
  Must({"mkswap", "/tmp/swap.img"});
  Must({"dd", "if=/tmp/swap.img", "of=/dev/vdb3", "bs=4096", "count=1", "conv=notrunc,fsync"});
  REQUIRE(Sh({"blkid", "-p", "/dev/vdb3"}).exit_code == 8);
  RunResult keep = Flint(R"({"filesystems":[{"device":"/dev/vdb3","format":"btrfs","label":"b",)"
                         R"("uuid":"7b2d0a1f-2222-4333-8444-a55566667777"}]})");
  INFO(keep.out);
  CHECK(keep.exit_code == 0);
  CHECK(Contains(keep.out, "WARNING: disks: filesystem at '/dev/vdb3' is ambivalent ("));
  CHECK(Contains(keep.out, "): reusing its btrfs filesystem"));
  RunResult other = Flint(R"({"filesystems":[{"device":"/dev/vdb3","format":"ext4"}]})");
  INFO(other.out);
  CHECK(other.exit_code == 1);
  CHECK(Contains(other.out, "refusing to create a ext4 filesystem on '/dev/vdb3'"));
  CHECK(Contains(other.out, "none the filesystem asked for, and wipeFilesystem is false"));
  CHECK(Contains(other.out, "swap"));
  Must({"wipefs", "-q", "-a", "-t", "swap", "/dev/vdb3"});
  CHECK(Blkid("/dev/vdb3") == "TYPE=btrfs LABEL=b UUID=7b2d0a1f-2222-4333-8444-a55566667777");
}

TEST_CASE("filesystems: invalid mkfs options and a missing device fail naming device and field") {
  RunResult bad = Flint(R"({"filesystems":[)" +
                        FsJson("fs-none", "ext4", R"(,"wipeFilesystem":true,"options":["--no-such-option"])") + "]}");
  INFO(bad.out);
  CHECK(bad.exit_code == 1);
  CHECK(Contains(bad.out, "mkfs.ext4 -F --no-such-option /dev/vdb6 exited"));
  CHECK(Contains(bad.out, "$.storage.filesystems.0"));
  RunResult missing = Flint(R"({"filesystems":[{"device":"/dev/vdz","format":"ext4"}]})", "2");
  INFO(missing.out);
  CHECK(missing.exit_code == 1);
  CHECK(Contains(missing.out, "waiting for device '/dev/vdz' (at $.storage.filesystems.0.device)"));
}

// ---------------------------------------------------------------------------- RAID + LUKS (vdc, vdd)

namespace {
// The key of the "given" volume: "flint-test-key" as a data URL.
const char* kGivenKey = "data:,flint-test-key";
const char* kFastKdf = R"("options":["--pbkdf","pbkdf2","--pbkdf-force-iterations","1000"])";

std::string RaidLuksDisk(const std::string& dev, const std::string& s) {
  return R"({"device":")" + dev + R"(","wipeTable":true,"partitions":[{"label":"raid-)" + s +
         R"(","sizeMiB":128,"typeGuid":")" + kRaidType + R"("},{"label":"luks-)" + s +
         R"(","sizeMiB":64},{"label":"plain-)" + s + R"(","sizeMiB":32},{"label":"r0-)" + s +
         R"(","sizeMiB":32,"typeGuid":")" + kRaidType + R"("}]})";
}

std::string GivenLuks(bool wipe) {
  return R"({"name":"given","device":"/dev/disk/by-partlabel/luks-d","label":"given",)"
         R"("uuid":"11111111-2222-4333-8444-555555555555","keyFile":{"source":")" +
         std::string(kGivenKey) + R"("},"wipeVolume":)" + (wipe ? "true" : "false") + "," + kFastKdf + "}";
}

nlohmann::json State() {
  std::ifstream in("/tmp/disks.state");
  return nlohmann::json::parse(in);
}
}  // namespace

TEST_CASE("whole config: partitions, a RAID1 with ext4, LUKS with generated and given keys, filesystems") {
  RunResult r =
      Flint(std::string(R"({"disks":[)") + RaidLuksDisk("/dev/vdc", "c") + "," + RaidLuksDisk("/dev/vdd", "d") +
            R"(],"raid":[{"name":"data","level":"raid1","devices":)"
            R"(["/dev/disk/by-partlabel/raid-c","/dev/disk/by-partlabel/raid-d"]}],)"
            R"("luks":[{"name":"gen","device":"/dev/disk/by-partlabel/luks-c","wipeVolume":true,)" +
            kFastKdf + "}," + GivenLuks(true) +
            R"(],"filesystems":[{"device":"/dev/md/data","format":"ext4","label":"mdfs"},)"
            R"({"device":"/dev/mapper/gen","format":"ext4","label":"gen"},)"
            R"({"device":"/dev/mapper/given","format":"vfat","label":"GIVEN"},)"
            R"({"device":"/dev/disk/by-partlabel/plain-c","format":"ext4","label":"plain"}]})");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  // RAID1 of the two partitions, ext4 on the array.
  CHECK(Contains(Must({"cat", "/proc/mdstat"}), "active raid1"));
  std::string detail = Must({"mdadm", "--detail", "/dev/md/data"});
  CHECK(Contains(detail, "Raid Level : raid1"));
  CHECK(Contains(detail, "Raid Devices : 2"));
  CHECK(Contains(detail, "/dev/vdc1"));
  CHECK(Contains(detail, "/dev/vdd1"));
  CHECK(Contains(Blkid("/dev/md/data"), "TYPE=ext4 LABEL=mdfs"));
  // LUKS2 volumes, open, with filesystems inside.
  std::string gen = Must({"cryptsetup", "status", "gen"});
  CHECK(Contains(gen, "type:    LUKS2"));
  CHECK(Contains(gen, "device:  /dev/vdc2"));
  CHECK(Contains(Must({"cryptsetup", "status", "given"}), "device:  /dev/vdd2"));
  CHECK(Contains(Blkid("/dev/vdd2"), "TYPE=crypto_LUKS LABEL=given UUID=11111111-2222-4333-8444-555555555555"));
  CHECK(Contains(Blkid("/dev/mapper/gen"), "TYPE=ext4 LABEL=gen"));
  CHECK(Contains(Blkid("/dev/mapper/given"), "TYPE=vfat LABEL=GIVEN"));
  CHECK(Contains(Blkid("/dev/vdc3"), "TYPE=ext4 LABEL=plain"));
  // What the files stage needs: crypttab entries and the keys.
  nlohmann::json state = State();
  INFO(state.dump());
  REQUIRE(state["luksVolumes"].size() == 2);
  CHECK(state["luksVolumes"][0]["name"] == "gen");
  CHECK(state["luksVolumes"][0]["keyFile"] == "/etc/luks/gen");
  CHECK(state["luksVolumes"][0]["uuid"] == Must({"cryptsetup", "luksUUID", "/dev/vdc2"}).substr(0, 36));
  CHECK(state["luksVolumes"][1]["uuid"] == "11111111-2222-4333-8444-555555555555");
  CHECK(state["luksPersistKeyFiles"]["given"] == "data:;base64,ZmxpbnQtdGVzdC1rZXk=");
  // The generated key opens the volume.
  std::string key = state["luksPersistKeyFiles"]["gen"];
  REQUIRE(key.rfind("data:;base64,", 0) == 0);
  CHECK(
      Sh({"cryptsetup", "luksOpen", "--test-passphrase", "--key-file", "/run/ignition/luks-keyfiles/gen", "/dev/vdc2"})
          .exit_code == 0);
}

TEST_CASE("LUKS: an existing matching volume is kept without wipeVolume, anything else is refused") {
  Must({"cryptsetup", "close", "given"});
  RunResult keep = Flint(R"({"luks":[)" + GivenLuks(false) + "]}");
  INFO(keep.out);
  REQUIRE(keep.exit_code == 0);
  CHECK(Contains(keep.out, "exists and matches: keeping it"));
  CHECK(Contains(Blkid("/dev/mapper/given"), "TYPE=vfat LABEL=GIVEN"));  // the data inside survived
  // flint opened it with --persistent: the header records "no discards", so a config that
  // wants discards does not match it.
  Must({"cryptsetup", "close", "given"});
  std::string with_discard = GivenLuks(false);
  with_discard.insert(1, R"("discard":true,)");
  RunResult discard = Flint(R"({"luks":[)" + with_discard + "]}");
  INFO(discard.out);
  CHECK(discard.exit_code == 1);
  CHECK(Contains(discard.out, "does not allow discards (want discard: true), and wipeVolume is false"));
  CHECK(Contains(discard.out, "$.storage.luks.0.wipeVolume"));

  RunResult plain =
      Flint(R"({"luks":[{"name":"p","device":"/dev/disk/by-partlabel/plain-c",)" + std::string(kFastKdf) + "}]}");
  INFO(plain.out);
  CHECK(plain.exit_code == 1);
  CHECK(Contains(plain.out, "refusing to format LUKS volume 'p'"));
  CHECK(Contains(plain.out, "it holds a ext4 signature, and wipeVolume is false"));
  CHECK(Contains(plain.out, "$.storage.luks.0.wipeVolume"));
  CHECK(Contains(Blkid("/dev/vdc3"), "TYPE=ext4 LABEL=plain"));
}

// ---------------------------------------------------------------------------- Clevis (vdf)
// Two real tangd servers on the host's loopback (disks/with-servers.sh), reached at 10.0.2.2.

// KEY=value lines of the file with-tang.sh puts into the guest.
std::string TangEnv(const std::string& key) {
  std::ifstream in("/etc/flint-tang.env");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  FAIL("no " << key << " in /etc/flint-tang.env (run through disks/with-servers.sh)");
  return "";
}

std::string TangJson(int n) {
  return R"({"url":")" + TangEnv("TANG" + std::to_string(n) + "_URL") + R"(","thumbprint":")" +
         TangEnv("TANG" + std::to_string(n) + "_THP") + R"("})";
}

// The guest's NIC on QEMU user networking (no DHCP client needed).
void NetworkUp() {
  Must({"ip", "link", "set", "lo", "up"});
  Must({"ip", "link", "set", "eth0", "up"});
  Sh({"ip", "addr", "add", "10.0.2.15/24", "dev", "eth0"});
}

// The key slots of a LUKS2 header ("0 1").
std::string KeySlots(const std::string& dev) {
  std::istringstream in(Must({"cryptsetup", "luksDump", dev}));
  std::string slots;
  bool in_slots = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Keyslots:", 0) == 0) in_slots = true;
    else if (!line.empty() && line[0] != ' ' && line[0] != '\t') in_slots = false;
    size_t colon = line.find(": luks2");
    if (in_slots && colon != std::string::npos) {
      std::string n = line.substr(0, colon);
      n.erase(0, n.find_first_not_of(" \t"));
      slots += (slots.empty() ? "" : " ") + n;
    }
  }
  return slots;
}

TEST_CASE("LUKS with Clevis: tang, and sss t=2 over two tang servers, with generated and given keys") {
  NetworkUp();
  std::string fast = kFastKdf;
  RunResult r = Flint(
      R"({"disks":[{"device":"/dev/vdf","wipeTable":true,"partitions":[{"label":"cl-tang","sizeMiB":40},)"
      R"({"label":"cl-sss","sizeMiB":40},{"label":"cl-down","sizeMiB":40}]}],"luks":[)"
      R"({"name":"ctang","device":"/dev/disk/by-partlabel/cl-tang","wipeVolume":true,)" +
      fast + R"(,"clevis":{"tang":[)" + TangJson(1) + R"(]}},)"
      R"({"name":"csss","device":"/dev/disk/by-partlabel/cl-sss","wipeVolume":true,"keyFile":{"source":"data:,sss-key"},)" +
      fast + R"(,"clevis":{"threshold":2,"tang":[)" + TangJson(1) + "," + TangJson(2) + R"(]}}],)"
      R"("filesystems":[{"device":"/dev/mapper/ctang","format":"ext4","label":"ontang"}]})", "30");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  // Reopened by `clevis luks unlock` against the tang server, with the filesystem made on it.
  CHECK(Contains(Must({"cryptsetup", "status", "ctang"}), "device:  /dev/vdf1"));
  CHECK(Contains(Blkid("/dev/mapper/ctang"), "TYPE=ext4 LABEL=ontang"));
  // The binding, and the generated key's slot gone (as upstream); the given key's slot stays.
  std::string tang1 = TangEnv("TANG1_URL");
  CHECK(Must({"clevis", "luks", "list", "-d", "/dev/vdf1"}) ==
        "1: sss '{\"t\":1,\"pins\":{\"tang\":[{\"url\":\"" + tang1 + "\"}]}}'\n");
  CHECK(KeySlots("/dev/vdf1") == "1");
  CHECK(Contains(Must({"clevis", "luks", "list", "-d", "/dev/vdf2"}), "1: sss '{\"t\":2,"));
  CHECK(KeySlots("/dev/vdf2") == "0 1");
  CHECK(Sh({"sh", "-c", "printf sss-key | cryptsetup luksOpen --test-passphrase --key-file - /dev/vdf2"}).exit_code ==
        0);
  CHECK_FALSE(fs::exists("/run/ignition/luks-keyfiles/ctang"));
  // What the files stage needs: no key file ("none"), _netdev, no key to persist.
  nlohmann::json state = State();
  INFO(state.dump());
  auto volume = [&](const std::string& name) {
    for (const nlohmann::json& v : state["luksVolumes"])
      if (v["name"] == name) return v;
    FAIL("no LUKS volume " << name << " in the state");
    return nlohmann::json();
  };
  CHECK(volume("ctang")["keyFile"] == "none");
  CHECK(volume("ctang")["options"] == nlohmann::json::array({"luks", "_netdev"}));
  CHECK(volume("ctang")["uuid"] == Must({"cryptsetup", "luksUUID", "/dev/vdf1"}).substr(0, 36));
  CHECK(volume("csss")["keyFile"] == "none");
  CHECK_FALSE(state["luksPersistKeyFiles"].contains("ctang"));
  CHECK_FALSE(state["luksPersistKeyFiles"].contains("csss"));
  // Clevis alone opens both again: tang for one, both tang servers for t=2.
  Must({"cryptsetup", "close", "ctang"});
  Must({"cryptsetup", "close", "csss"});
  Must({"clevis", "luks", "unlock", "-d", "/dev/vdf1", "-n", "again"});
  CHECK(Contains(Blkid("/dev/mapper/again"), "TYPE=ext4 LABEL=ontang"));
  Must({"cryptsetup", "close", "again"});
  Must({"clevis", "luks", "unlock", "-d", "/dev/vdf2", "-n", "csss2"});
  Must({"cryptsetup", "close", "csss2"});
  // As upstream, a volume to be bound with Clevis is never reused without wipeVolume.
  RunResult again = Flint(R"({"luks":[{"name":"csss","device":"/dev/disk/by-partlabel/cl-sss",)"
                          R"("keyFile":{"source":"data:,sss-key"},)" + fast + R"(,"clevis":{"tang":[)" + TangJson(1) +
                          R"(]}}]})");
  INFO(again.out);
  CHECK(again.exit_code == 1);
  CHECK(Contains(again.out, "the config binds it with Clevis, and a Clevis volume is never reused"));
  CHECK(Contains(again.out, "$.storage.luks.0.wipeVolume"));
}

TEST_CASE("LUKS with Clevis: an unreachable tang server fails naming device, field and cause") {
  RunResult r = Flint(R"({"luks":[{"name":"down","device":"/dev/disk/by-partlabel/cl-down","wipeVolume":true,)" +
                          std::string(kFastKdf) +
                          R"(,"clevis":{"tang":[{"url":"http://10.0.2.2:9","thumbprint":"x"}]}}]})",
                      "20", R"(,"timeouts":{"httpTotal":4})");
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.out, "'/dev/disk/by-partlabel/cl-down' (at $.storage.luks.0.clevis.tang.0)"));
  CHECK(Contains(r.out, "tang server http://10.0.2.2:9 is unreachable"));
  CHECK(Blkid("/dev/vdf3").empty());  // asked before formatting: the device is untouched
}

TEST_CASE("LUKS with Clevis: tpm2 (swtpm on the host behind QEMU's TIS TPM)") {
  REQUIRE(fs::exists("/dev/tpmrm0"));
  RunResult r = Flint(R"({"luks":[{"name":"ctpm","device":"/dev/disk/by-partlabel/cl-down","wipeVolume":true,)" +
                      std::string(kFastKdf) + R"(,"clevis":{"tpm2":true}}]})");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(Must({"cryptsetup", "status", "ctpm"}), "device:  /dev/vdf3"));
  CHECK(Contains(Must({"clevis", "luks", "list", "-d", "/dev/vdf3"}), "1: sss '{\"t\":1,\"pins\":{\"tpm2\":"));
  CHECK(KeySlots("/dev/vdf3") == "1");
  nlohmann::json state = State();
  bool found = false;
  for (const nlohmann::json& v : state["luksVolumes"]) {
    if (v["name"] != "ctpm") continue;
    found = true;
    CHECK(v["keyFile"] == "none");
    CHECK(v["options"] == nlohmann::json::array({"luks"}));  // no network needed
  }
  CHECK(found);
  Must({"cryptsetup", "close", "ctpm"});
  Must({"clevis", "luks", "unlock", "-d", "/dev/vdf3", "-n", "ctpm2"});
  Must({"cryptsetup", "close", "ctpm2"});
}

TEST_CASE("LUKS with CEX is refused off IBM Z, naming the field") {
  std::ofstream("/tmp/disks.ign")
      << R"({"ignition":{"version":"3.5.0"},"storage":{"luks":[{"name":"z","device":"/dev/vdf3","cex":{"enabled":true}}]}})";
  RunResult r = Sh({FLINT_BINARY, "-platform", "file", "-stage", "disks", "-log-to-stdout", "-root", "/tmp/sysroot",
                    "-config-cache", "/tmp/disks.ign", "-state-file", "/tmp/disks.state"});
  r.out += r.err;
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.out, "refusing LUKS with CEX (at $.storage.luks.0.cex.enabled)"));
}

TEST_CASE("RAID0 of two partitions with a filesystem on the array") {
  RunResult r = Flint(R"({"raid":[{"name":"stripe","level":"raid0","devices":)"
                      R"(["/dev/disk/by-partlabel/r0-c","/dev/disk/by-partlabel/r0-d"]}],)"
                      R"("filesystems":[{"device":"/dev/md/stripe","format":"xfs","label":"striped",)"
                      R"("options":["-d","agcount=1"]}]})");
  INFO(r.out);
  REQUIRE(r.exit_code == 1);  // xfs needs 300 MiB: mkfs.xfs refuses, and the error says so
  CHECK(Contains(r.out, "mkfs.xfs -f -L striped -d agcount=1 /dev/md"));
  CHECK(Contains(r.out, "$.storage.filesystems.0"));
  std::string detail = Must({"mdadm", "--detail", "/dev/md/stripe"});
  CHECK(Contains(detail, "Raid Level : raid0"));
  CHECK(Contains(detail, "/dev/vdc4"));
  CHECK(Contains(detail, "/dev/vdd4"));
  RunResult ext4 = Flint(R"({"filesystems":[{"device":"/dev/md/stripe","format":"ext4","label":"striped"}]})");
  INFO(ext4.out);
  REQUIRE(ext4.exit_code == 0);
  CHECK(Contains(Blkid("/dev/md/stripe"), "TYPE=ext4 LABEL=striped"));
}

TEST_CASE("partitions: wipeTable replaces a damaged GPT") {
  Must({"sh", "-c", "printf 'label: gpt\\nsize=8MiB, name=old\\n' | sfdisk -q /dev/vde"});
  // Garbage over the primary header and entries; the backup at the end stays.
  Must({"dd", "if=/dev/urandom", "of=/dev/vde", "bs=512", "seek=1", "count=33", "conv=fsync"});
  RunResult r = Flint(R"({"disks":[{"device":"/dev/vde","wipeTable":true,"partitions":[)" +
                      PartJson(1, "fresh", 16, 21) + "]}]}");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(Parts("/dev/vde") == std::vector<std::string>{Part("/dev/vde1", 2048, 32768, Guid(21), "fresh")});
}
