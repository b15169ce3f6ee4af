#include <catch2/catch.hpp>

#include "agent/error.h"
#include "agent/os/device_wait.h"
#include "stages/disks/clevis.h"
#include "stages/disks/filesystems.h"
#include "stages/disks/luks.h"
#include "stages/disks/probe.h"
#include "stages/disks/raid.h"

namespace flint::stages {
namespace {

using agent::Argv;

const agent::Env kEnv = agent::FakeEnv({{"FLINT_TOOL_MKFS_XFS", "/sbin/mkfs.xfs"}});

schema::Filesystem Fs(const std::string& format) {
  schema::Filesystem fs;
  fs.device = "/dev/disk/by-partlabel/root";
  fs.format = format;
  return fs;
}

TEST_CASE("disks: mdadm --create with upstream's arguments", "[disks][raid]") {
  schema::Raid raid;
  raid.name = "root";
  raid.level = "raid1";
  raid.devices = {"/dev/vda1", "/dev/vdb1", "/dev/vdc1"};
  raid.spares = 1;
  raid.options = {"--metadata", "1.0"};
  CHECK(MdadmCreateArgv("mdadm", raid, {"/dev/vda1", "/dev/vdb1", "/dev/vdc1"}) ==
        Argv{"mdadm", "--create", "root", "--force", "--run", "--homehost", "any", "--level", "raid1", "--raid-devices",
             "2", "--spare-devices", "1", "--metadata", "1.0", "/dev/vda1", "/dev/vdb1", "/dev/vdc1"});
  raid.spares.reset();
  raid.options.clear();
  CHECK(MdadmCreateArgv("/sbin/mdadm", raid, {"/dev/vda1", "/dev/vdb1"}) ==
        Argv{"/sbin/mdadm", "--create", "root", "--force", "--run", "--homehost", "any", "--level", "raid1",
             "--raid-devices", "2", "/dev/vda1", "/dev/vdb1"});
}

TEST_CASE("disks: mkfs argv per format", "[disks][filesystems]") {
  const std::string dev = "/dev/vda4";
  schema::Filesystem fs = Fs("ext4");
  CHECK(*MkfsArgv(fs, dev, kEnv) == Argv{"mkfs.ext4", "-F", dev});
  fs.label = "root";
  fs.uuid = "3f9b7a1e-2c4d-4e5f-8a6b-7c8d9e0f1a2b";
  fs.options = {"-E", "lazy_itable_init=1"};
  CHECK(*MkfsArgv(fs, dev, kEnv) ==
        Argv{"mkfs.ext4", "-F", "-L", "root", "-U", *fs.uuid, "-E", "lazy_itable_init=1", dev});
  fs.format = "xfs";
  CHECK(*MkfsArgv(fs, dev, kEnv) ==
        Argv{"/sbin/mkfs.xfs", "-f", "-L", "root", "-m", "uuid=" + *fs.uuid, "-E", "lazy_itable_init=1", dev});
  fs.options.clear();
  fs.format = "btrfs";
  CHECK(*MkfsArgv(fs, dev, kEnv) == Argv{"mkfs.btrfs", "--force", "-L", "root", "-U", *fs.uuid, dev});
  fs.format = "swap";
  CHECK(*MkfsArgv(fs, dev, kEnv) == Argv{"mkswap", "-f", "-L", "root", "-U", *fs.uuid, dev});
  fs.format = "vfat";
  fs.uuid = "2E24-EC82";
  CHECK(*MkfsArgv(fs, dev, kEnv) == Argv{"mkfs.vfat", "-n", "root", "-i", "2E24EC82", dev});
  fs.format = "none";
  CHECK_FALSE(MkfsArgv(fs, dev, kEnv).has_value());
  fs.format = "zfs";
  CHECK_THROWS_WITH(MkfsArgv(fs, dev, kEnv), Catch::Contains("format \"zfs\" is not supported") &&
                                                 Catch::Contains("/dev/disk/by-partlabel/root"));
}

TEST_CASE("disks: blkid export and what keeps a filesystem", "[disks][filesystems]") {
  Probe p = ParseBlkidExport("DEVNAME=/dev/vda1\nUUID=2E24-EC82\nLABEL=EFI\nVERSION=FAT32\nTYPE=vfat\n");
  CHECK(p.type == "vfat");
  CHECK(p.label == "EFI");
  CHECK(p.uuid == "2E24-EC82");
  CHECK_FALSE(p.ambivalent);
  schema::Filesystem fs = Fs("vfat");
  CHECK(FilesystemMismatch(fs, p) == "");
  fs.uuid = "2e24ec82";  // vfat UUIDs compare without the dash, case-insensitively
  CHECK(FilesystemMismatch(fs, p) == "");
  fs.label = "boot";
  CHECK(FilesystemMismatch(fs, p) == "label \"EFI\" (want \"boot\")");
  fs.label.reset();
  fs.uuid = "1111-2222";
  CHECK(FilesystemMismatch(fs, p) == "UUID \"2E24-EC82\" (want \"1111-2222\")");
  CHECK(FilesystemMismatch(Fs("ext4"), p) == "type \"vfat\" (want \"ext4\")");
  CHECK(CanonicalUuid("ext4", "3F9B7A1E-2C4D-4E5F-8A6B-7C8D9E0F1A2B") == "3f9b7a1e-2c4d-4e5f-8a6b-7c8d9e0f1a2b");
}

TEST_CASE("disks: wipefs --json lists the signatures of an ambivalent device", "[disks][filesystems]") {
  std::vector<Signature> found = ParseWipefsJson(R"({
   "signatures": [
      {"device":"vdb1", "offset":"0x438", "type":"ext4", "uuid":"3f9b7a1e-2c4d-4e5f-8a6b-7c8d9e0f1a2b", "label":"e4"},
      {"device":"vdb1", "offset":"0xff6", "type":"swap", "uuid":null, "label":null}
   ]
})");
  CHECK(found == std::vector<Signature>{{"ext4", "e4", "3f9b7a1e-2c4d-4e5f-8a6b-7c8d9e0f1a2b"}, {"swap", "", ""}});
  CHECK(ParseWipefsJson("").empty());
  CHECK_THROWS_WITH(ParseWipefsJson("{"), Catch::Contains("wipefs --json"));
}

TEST_CASE("disks: cryptsetup argv and crypttab options", "[disks][luks]") {
  schema::Luks luks;
  luks.name = "data";
  luks.device = "/dev/vdb";
  CHECK(LuksFormatArgv("cryptsetup", luks, "/run/k", "/dev/vdb") ==
        Argv{"cryptsetup", "luksFormat", "--batch-mode", "--type", "luks2", "--key-file", "/run/k", "/dev/vdb"});
  CHECK(LuksOpenArgv("cryptsetup", luks, "/run/k", "/dev/vdb") ==
        Argv{"cryptsetup", "luksOpen", "/dev/vdb", "data", "--key-file", "/run/k", "--persistent"});
  CHECK(CrypttabOptions(luks) == std::vector<std::string>{"luks"});
  luks.label = "secret";
  luks.uuid = "11111111-2222-4333-8444-555555555555";
  luks.options = {"--pbkdf", "pbkdf2"};
  luks.discard = true;
  luks.open_options = {"--perf-no_read_workqueue"};
  CHECK(LuksFormatArgv("cryptsetup", luks, "/run/k", "/dev/vdb") ==
        Argv{"cryptsetup", "luksFormat", "--batch-mode", "--type", "luks2", "--key-file", "/run/k", "--label", "secret",
             "--uuid", *luks.uuid, "--pbkdf", "pbkdf2", "/dev/vdb"});
  CHECK(LuksOpenArgv("cryptsetup", luks, "/run/k", "/dev/vdb") == Argv{"cryptsetup", "luksOpen", "/dev/vdb", "data",
                                                                       "--key-file", "/run/k", "--persistent",
                                                                       "--allow-discards",
                                                                       "--perf-no_read_workqueue"});
  CHECK(CrypttabOptions(luks) == std::vector<std::string>{"luks", "discard", "perf-no_read_workqueue"});
}

TEST_CASE("disks: the persistent allow-discards flag in luksDump output", "[disks][luks]") {
  const std::string head = "LUKS header information\nVersion:       \t2\nLabel:         \tallow-discards\n";
  CHECK(LuksDumpAllowsDiscards(head + "Flags:       \tallow-discards \n\nData segments:\n"));
  CHECK(LuksDumpAllowsDiscards(head + "Flags:       \tno-read-workqueue allow-discards\n"));
  CHECK_FALSE(LuksDumpAllowsDiscards(head + "Flags:       \t(no flags)\n"));
  CHECK_FALSE(LuksDumpAllowsDiscards(head + "Flags:       \tno-allow-discards-x\n"));  // a whole word only
  CHECK_FALSE(LuksDumpAllowsDiscards(head));  // the label is not the flags line
  CHECK_FALSE(LuksDumpAllowsDiscards(""));
}

TEST_CASE("disks: CEX is refused naming the field; Clevis is not refused", "[disks][luks]") {
  schema::Config c;
  c.storage.luks.resize(2);
  c.storage.luks[0].name = "ok";
  c.storage.luks[0].device = "/dev/vda";
  c.storage.luks[1].name = "t";
  c.storage.luks[1].device = "/dev/vdb";
  CHECK_NOTHROW(CheckLuksSupported(c));
  c.storage.luks[1].clevis.tpm2 = true;
  c.storage.luks[1].clevis.tang.push_back({"http://tang", "thp", std::nullopt});
  c.storage.luks[1].clevis.threshold = 2;
  CHECK_NOTHROW(CheckLuksSupported(c));
  c.storage.luks[1].clevis = {};
  c.storage.luks[1].cex.enabled = true;
#if defined(__s390x__)
  CHECK_THROWS_WITH(CheckLuksSupported(c), Catch::Contains("CEX") && Catch::Contains("is not implemented") &&
                                               Catch::Contains("$.storage.luks.1.cex.enabled"));
#else
  CHECK_THROWS_WITH(CheckLuksSupported(c), Catch::Contains("refusing LUKS with CEX (at $.storage.luks.1.cex.enabled)") &&
                                               Catch::Contains("IBM Z (s390x)"));
#endif
}

TEST_CASE("disks: Clevis pins, their JSON and the bind argv", "[disks][luks][clevis]") {
  schema::Path at = schema::Path() / "storage" / "luks" / 0 / "clevis";
  schema::Clevis c;
  CHECK_FALSE(ClevisPresent(c));
  c.threshold = 0;
  CHECK_FALSE(ClevisPresent(c));

  // One tang server: sss with t=1, the thumbprint as thp.
  c = {};
  c.tang.push_back({"http://10.0.2.2:8080", "abc", std::nullopt});
  CHECK(ClevisPresent(c));
  CHECK(ClevisNeedsNetwork(c));
  CHECK(ClevisCanReopen(c));
  CHECK(ClevisBindingFor(c, at) ==
        ClevisBinding{"sss", R"({"pins":{"tang":[{"url":"http://10.0.2.2:8080","thp":"abc"}]},"t":1})"});
  CHECK(ClevisBindArgv("clevis", "/run/k", "/dev/vdb", ClevisBindingFor(c, at)) ==
        Argv{"clevis", "luks", "bind", "-f", "-k", "/run/k", "-d", "/dev/vdb", "sss",
             R"({"pins":{"tang":[{"url":"http://10.0.2.2:8080","thp":"abc"}]},"t":1})"});
  CHECK(ClevisUnlockArgv("clevis", "/dev/vdb", "root") ==
        Argv{"clevis", "luks", "unlock", "-d", "/dev/vdb", "-n", "root"});

  // Two servers (one with its advertisement, parsed into the JSON), tpm2, t=2.
  c.tang.push_back({"https://t2/x/", "def", R"({"payload":"e30","protected":"e30","signature":"e30"})"});
  c.tpm2 = true;
  c.threshold = 2;
  CHECK(ClevisBindingFor(c, at).config ==
        R"({"pins":{"tang":[{"url":"http://10.0.2.2:8080","thp":"abc"},)"
        R"({"url":"https://t2/x/","thp":"def","adv":{"payload":"e30","protected":"e30","signature":"e30"}}],)"
        R"("tpm2":{}},"t":2})");
  CHECK(ClevisCanReopen(c));  // one live tang server + tpm2 reach 2
  c.threshold = 3;
  CHECK_FALSE(ClevisCanReopen(c));  // the server known only by its advertisement is not asked
  c.tang[1].advertisement = "{nope";
  CHECK_THROWS_WITH(ClevisBindingFor(c, at), Catch::Contains("$.storage.luks.0.clevis.tang.1.advertisement") &&
                                                 Catch::Contains("not valid JSON"));

  // tpm2 alone.
  c = {};
  c.tpm2 = true;
  CHECK_FALSE(ClevisNeedsNetwork(c));
  CHECK(ClevisBindingFor(c, at) == ClevisBinding{"sss", R"({"pins":{"tpm2":{}},"t":1})"});

  // A custom pin (3.6: any name) is passed as is; needsNetwork decides _netdev.
  c = {};
  c.custom.pin = "tpm2";
  c.custom.config = R"({"pcr_ids":"7"})";
  CHECK(ClevisPresent(c));
  CHECK_FALSE(ClevisNeedsNetwork(c));
  CHECK_FALSE(ClevisCanReopen(c));
  CHECK(ClevisBindingFor(c, at) == ClevisBinding{"tpm2", R"({"pcr_ids":"7"})"});
  c.custom.needs_network = true;
  CHECK(ClevisNeedsNetwork(c));

  schema::Luks luks;
  luks.name = "root";
  luks.clevis = c;
  luks.discard = true;
  CHECK(CrypttabOptions(luks) == std::vector<std::string>{"luks", "_netdev", "discard"});
}

TEST_CASE("disks: a tang server's advertisement URL", "[disks][luks][clevis]") {
  CHECK(TangAdvertisementUrl("http://10.0.2.2:8080") == "http://10.0.2.2:8080/adv");
  CHECK(TangAdvertisementUrl("http://tang/") == "http://tang/adv");
  CHECK(TangAdvertisementUrl("https://tang/base//") == "https://tang/base/adv");
  CHECK(TangAdvertisementUrl("http://tang/base?x=1") == "http://tang/base/adv?x=1");
}

TEST_CASE("disks: device wait timeout from the environment", "[disks]") {
  CHECK(agent::DeviceWaitFromEnv(agent::FakeEnv({})).timeout == std::chrono::seconds(90));
  CHECK(agent::DeviceWaitFromEnv(agent::FakeEnv({{"FLINT_DEVICE_TIMEOUT", "5"}})).timeout == std::chrono::seconds(5));
  CHECK_THROWS_WITH(agent::DeviceWaitFromEnv(agent::FakeEnv({{"FLINT_DEVICE_TIMEOUT", "5s"}})),
                    Catch::Contains("FLINT_DEVICE_TIMEOUT='5s'"));
  agent::FakeRunner runner;
  agent::DeviceWaitOptions quick;
  quick.timeout = std::chrono::milliseconds(50);
  quick.poll = std::chrono::milliseconds(10);
  CHECK_THROWS_WITH(
      agent::WaitForDevice(runner, agent::FakeEnv({}), "/dev/flint-no-such-disk", "$.storage.disks.0.device", quick),
      Catch::Contains("'/dev/flint-no-such-disk'") && Catch::Contains("$.storage.disks.0.device") &&
          Catch::Contains("did not appear"));
  std::vector<std::string> progress;
  quick.progress = [&progress](const std::string& line) { progress.push_back(line); };
  quick.progress_every = std::chrono::milliseconds(20);
  CHECK_THROWS(agent::WaitForDevice(runner, agent::FakeEnv({}), "/dev/flint-no-such-disk", "$.x", quick));
  REQUIRE_FALSE(progress.empty());
  CHECK(progress[0] == "waiting for device '/dev/flint-no-such-disk' (at $.x): 0 s of 0 s");
  REQUIRE(runner.calls.size() == 2);
  CHECK(runner.calls[0] == Argv{"udevadm", "settle", "--timeout=1"});
}

}  // namespace
}  // namespace flint::stages
