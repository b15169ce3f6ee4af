// upstream Ignition's black-box partition tests (tests/positive/partitions and
// tests/negative/partitions), one TEST_CASE each, on the test VM's own disk /dev/vdg
// (256 MiB: 524288 sectors, last usable sector 524254), which no other case touches;
// its filesystem tests follow at the end, on /dev/vdh.
// A case is data: the table written with sfdisk before, the storage.disks entry, and either
// the exact table after (sfdisk -d with fixed GUIDs, and the kernel's view in sysfs) or the
// error flint must stop with, leaving the table as it was.
//
// upstream's layouts are scaled to fit: its base disk has three 128 MiB partitions on an
// image just big enough, here they are 16 MiB each on a fixed disk, and "fills the disk"
// means up to sector 524254. Where upstream creates a partition without a guid (sgdisk
// then makes one up), the config here gives one so the table compares exactly.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "guest_helpers.h"
#include "stages/disks/upstream_guids.h"

namespace {

using namespace flint::vm_guest;  // NOLINT: the helpers are this file's vocabulary

constexpr const char* kDisk = "/dev/vdg";
constexpr int64_t kLastUsable = 524254;

// Type and partition GUIDs upstream's tests use.
using flint::stages::testing::kEfiType;
using flint::stages::testing::kG0;
using flint::stages::testing::kG1;
using flint::stages::testing::kG2;
using flint::stages::testing::kResizeType;
using flint::stages::testing::kT0;
using flint::stages::testing::kT1;
using flint::stages::testing::kT2;

struct Entry {
  int number;
  int64_t start;
  int64_t size;
  std::string label;
  std::string type;
  std::string guid;
};
using Table = std::vector<Entry>;

struct Case {
  Table before{};        // written with sfdisk on a fresh GPT (empty: no partitions)
  std::string disk{};    // the storage.disks entry, after "device"
  Table after{};         // the table flint must leave; unused when `error` is set
  std::string error{};   // flint must fail with this, the table unchanged
  int corrupt = 0;       // garble the primary GPT header and entries (1), and the backup's too (2)
};

// upstream's base disk (EFI-SYSTEM, OEM, ROOT; 2 MiB aligned), 16 MiB partitions here.
Table BaseDisk() {
  return {{1, 4096, 32768, "EFI-SYSTEM", kEfiType, "11111111-1111-1111-1111-111111111111"},
          {6, 36864, 32768, "OEM", kLinux, "66666666-6666-6666-6666-666666666666"},
          {9, 69632, 32768, "ROOT", kResizeType, "99999999-9999-9999-9999-999999999999"}};
}

// The base disk with ROOT's entry replaced.
Table BaseWithRoot(int64_t size, const std::string& guid = "99999999-9999-9999-9999-999999999999") {
  Table t = BaseDisk();
  t[2].size = size;
  t[2].guid = guid;
  return t;
}

// The base disk with an unnamed partition 10 right after ROOT, the large free block after it.
Table BaseWithTen() {
  Table t = BaseDisk();
  t.push_back({10, 102400, 65536, "", kLinux, Guid(127)});
  return t;
}

std::string Script(const Table& table) {
  std::string s = "label: gpt\n";
  for (const Entry& e : table) {
    s += std::string(kDisk) + std::to_string(e.number) + " : start=" + std::to_string(e.start) +
         ", size=" + std::to_string(e.size) + ", type=" + e.type + ", uuid=" + e.guid;
    if (!e.label.empty()) s += ", name=\"" + e.label + "\"";
    s += "\n";
  }
  return s;
}

std::vector<std::string> Lines(const Table& table) {
  std::vector<std::string> lines;
  for (const Entry& e : table)
    lines.push_back(Part(kDisk + std::to_string(e.number), e.start, e.size, e.guid, e.label, e.type));
  return lines;
}

// Each partition's start and size as the kernel sees them, "N start+size", sorted by name.
std::vector<std::string> KernelView() {
  std::vector<std::string> view;
  for (const auto& entry : fs::directory_iterator("/sys/class/block/vdg")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("vdg", 0) != 0) continue;
    std::string start, size;
    std::ifstream(entry.path() / "start") >> start;
    std::ifstream(entry.path() / "size") >> size;
    view.push_back(name.substr(3) + " " + start + "+" + size);
  }
  std::sort(view.begin(), view.end());
  return view;
}

std::vector<std::string> KernelViewOf(const Table& table) {
  std::vector<std::string> view;
  for (const Entry& e : table)
    view.push_back(std::to_string(e.number) + " " + std::to_string(e.start) + "+" + std::to_string(e.size));
  std::sort(view.begin(), view.end());
  return view;
}

void WriteBefore(const Case& c) {
  Must({"wipefs", "-q", "-a", kDisk});
  std::ofstream("/tmp/blackbox.sfdisk") << Script(c.before);
  Must({"sh", "-c", std::string("sfdisk -q ") + kDisk + " < /tmp/blackbox.sfdisk"});
  auto garble = [](int64_t sector) {
    Must({"dd", "if=/dev/urandom", std::string("of=") + kDisk, "bs=512", "seek=" + std::to_string(sector), "count=33",
          "conv=fsync"});
  };
  if (c.corrupt >= 1) garble(1);
  if (c.corrupt >= 2) garble(kLastUsable + 1);
  Must({"udevadm", "settle"});
}

void Run(const Case& c) {
  WriteBefore(c);
  const std::string dump = c.corrupt ? "" : Must({"sfdisk", "-d", kDisk});
  RunResult r = Flint(R"({"disks":[{"device":")" + std::string(kDisk) + "\"," + c.disk + "}]}");
  INFO(r.out);
  if (!c.error.empty()) {
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.out, c.error));
    CHECK(Must({"sfdisk", "-d", kDisk}) == dump);
    CHECK(KernelView() == KernelViewOf(c.before));
    return;
  }
  REQUIRE(r.exit_code == 0);
  CHECK(Parts(kDisk) == Lines(c.after));
  CHECK(KernelView() == KernelViewOf(c.after));
  if (!c.corrupt && Lines(c.after) == Lines(c.before)) CHECK(Must({"sfdisk", "-d", kDisk}) == dump);  // disk GUID too
}

std::string Error(int index, const std::string& what) {
  return std::string("partitioning '") + kDisk + "' (at $.storage.disks.0.partitions." + std::to_string(index) +
         "): " + what;
}

}  // namespace

// ---------------------------------------------------------------------------- positive

TEST_CASE("partitions (upstream: complex layout): recreate smaller, keep, fill the freed block, delete") {
  Run({.before = {{1, 2048, 65536, "p1", "316F19F9-9E0F-431E-859E-AE6908DBE8CA", Guid(101)},
                  {2, 67584, 32768, "dont-delete", kT2, Guid(102)},
                  {3, 100352, 32768, "garbo-town", "9DFDE6DB-A308-497B-9F8C-55DB12D4D9A1", Guid(103)},
                  {4, 296960, 32768, "more-junk", "EE378F79-6B7A-4F7A-8029-7A5736D12BBF", Guid(104)},
                  {5, 329728, 32768, "dont-delete2", "9DD1A91A-A39A-4594-B431-60A7FB630BCB", Guid(105)}},
       .disk = R"("partitions":[
         {"number":1,"label":"p1","startMiB":1,"sizeMiB":16,"typeGuid":"316f19f9-9e0f-431e-859e-ae6908dbe8ca",
          "guid":"53f2e871-f468-437c-b90d-f3c6409df81a","wipePartitionEntry":true},
         {"number":2,"label":"dont-delete","sizeMiB":16},
         {"number":3,"label":"new-biggest","startMiB":0,"sizeMiB":0,"typeGuid":"6050e8fc-1e31-473b-bcc0-714e32fcb09d",
          "guid":"f14984bc-6f08-4885-b668-526263469a00","wipePartitionEntry":true},
         {"number":4,"shouldExist":false,"wipePartitionEntry":true},
         {"number":9,"shouldExist":false}])",
       // 3 fills what 3, the 80 MiB gap and 4 held (112 MiB), more than the 79 MiB after 5.
       .after = {{1, 2048, 32768, "p1", "316F19F9-9E0F-431E-859E-AE6908DBE8CA", "53F2E871-F468-437C-B90D-F3C6409DF81A"},
                 {2, 67584, 32768, "dont-delete", kT2, Guid(102)},
                 {3, 100352, 229376, "new-biggest", "6050E8FC-1E31-473B-BCC0-714E32FCB09D",
                  "F14984BC-6F08-4885-B668-526263469A00"},
                 {5, 329728, 32768, "dont-delete2", "9DD1A91A-A39A-4594-B431-60A7FB630BCB", Guid(105)}}});
}

TEST_CASE("partitions (upstream: create): one partition on an empty GPT") {
  Run({.disk = R"("partitions":[{"number":1,"label":"create-partition","sizeMiB":32,
         "typeGuid":"B921B045-1DF0-41C3-AF44-4C6F280D3FAE","guid":"05AE8178-224E-4744-862A-4F4B042662D0"}])",
       .after = {{1, 2048, 65536, "create-partition", kT0, "05AE8178-224E-4744-862A-4F4B042662D0"}}});
}

TEST_CASE("partitions (upstream: create with startMiB): the default type") {
  Run({.disk = R"("partitions":[{"number":1,"label":"create-partition","startMiB":1,"sizeMiB":32,
         "guid":"5A1E0000-0000-4000-8000-000000000110"}])",
       .after = {{1, 2048, 65536, "create-partition", kLinux, Guid(110)}}});
}

TEST_CASE("partitions (upstream: create after wipeTable): same places, new GUIDs") {
  Run({.before = {{1, 2048, 65536, "important-data", kT0, Guid(111)},
                  {2, 67584, 131072, "ephemeral-data", kT1, Guid(112)}},
       .disk = R"("wipeTable":true,"partitions":[
         {"number":1,"label":"important-data","sizeMiB":32,"typeGuid":"B921B045-1DF0-41C3-AF44-4C6F280D3FAE",
          "guid":"8A7A6E26-5E8F-4CCA-A654-46215D4696AC"},
         {"number":2,"label":"ephemeral-data","sizeMiB":64,"typeGuid":"CA7D7CCB-63ED-4C53-861C-1742536059CC",
          "guid":"A51034E6-26B3-48DF-BEED-220562AC7AD1"}])",
       .after = {{1, 2048, 65536, "important-data", kT0, kG0}, {2, 67584, 131072, "ephemeral-data", kT1, kG1}}});
}

TEST_CASE("partitions (upstream: append): two more after the existing ones") {
  Table before{{1, 2048, 65536, "important-data", kT0, kG0}, {2, 67584, 131072, "ephemeral-data", kT1, Guid(113)}};
  Table after = before;
  after.push_back({3, 198656, 65536, "additional-partition", kT2, kG2});
  after.push_back({4, 264192, 65536, "additional-partition2", kT2, "ACCEDD09-76C2-4363-9893-F5689A78C47F"});
  Run({.before = before,
       .disk = R"("partitions":[
         {"number":3,"label":"additional-partition","sizeMiB":32,"typeGuid":"F39C522B-9966-4429-A8F8-417CD5D83E5E",
          "guid":"3ED3993F-0016-422B-B134-09FCBA6F66EF"},
         {"number":4,"label":"additional-partition2","sizeMiB":32,"typeGuid":"F39C522B-9966-4429-A8F8-417CD5D83E5E",
          "guid":"accedd09-76c2-4363-9893-f5689a78c47f"}])",
       .after = after});
}

TEST_CASE("partitions (upstream: resize root): recreate ROOT bigger with wipePartitionEntry") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[{"number":9,"label":"ROOT","sizeMiB":128,
         "typeGuid":"3884DD41-8582-4404-B9A8-E9B84F2DF50E","guid":"3ED3993F-0016-422B-B134-09FCBA6F66EF",
         "wipePartitionEntry":true}])",
       .after = BaseWithRoot(262144, kG2)});
}

TEST_CASE("partitions (upstream: resize existing partition): resize keeps GUID and type") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[{"number":9,"label":"ROOT","sizeMiB":128,"resize":true}])",
       .after = BaseWithRoot(262144)});
}

TEST_CASE("partitions (upstream: delete): the only partition") {
  Run({.before = {{1, 2048, 65536, "deleteme", kLinux, Guid(114)}},
       .disk = R"("partitions":[{"number":1,"shouldExist":false,"wipePartitionEntry":true}])",
       .after = {}});
}

TEST_CASE("partitions (upstream: delete all): existing and nonexistent numbers") {
  std::string parts;
  for (int n : {1, 2, 3, 4, 6, 7, 9})
    parts += std::string(parts.empty() ? "" : ",") + R"({"number":)" + std::to_string(n) +
             R"(,"shouldExist":false,"wipePartitionEntry":true})";
  Run({.before = BaseDisk(), .disk = R"("partitions":[)" + parts + "]", .after = {}});
}

TEST_CASE("partitions (upstream: match + recreate + delete + add): all four actions in one table") {
  Run({.before = {{1, 2048, 65536, "important-data", kT0, kG0},
                  {2, 67584, 65536, "ephemeral-data", kT1, Guid(115)},
                  {3, 133120, 131072, "bunch-of-junk", kT1, Guid(116)}},
       .disk = R"("partitions":[
         {"number":1,"label":"important-data","startMiB":1,"sizeMiB":32},
         {"number":2,"label":"ephemeral-data","startMiB":33,"sizeMiB":64,"wipePartitionEntry":true,
          "guid":"5A1E0000-0000-4000-8000-000000000117"},
         {"number":3,"shouldExist":false,"wipePartitionEntry":true},
         {"number":4,"label":"even-more-data","startMiB":97,"sizeMiB":32,
          "guid":"5A1E0000-0000-4000-8000-000000000118"}])",
       // A recreated entry takes only what the config says: no typeGuid is the default type.
       .after = {{1, 2048, 65536, "important-data", kT0, kG0},
                 {2, 67584, 131072, "ephemeral-data", kLinux, Guid(117)},
                 {4, 198656, 65536, "even-more-data", kLinux, Guid(118)}}});
}

TEST_CASE("partitions (upstream: match + recreate): nothing matches, all three recreated") {
  Run({.before = {{1, 2048, 65536, "important-data", kT0, kG0},
                  {2, 67584, 65536, "ephemeral-data", kT1, Guid(119)},
                  {3, 133120, 131072, "bunch-of-junk", kT1, kG1}},
       .disk = R"("partitions":[
         {"number":1,"label":"important-data","startMiB":1,"sizeMiB":32,"wipePartitionEntry":true,
          "typeGuid":"F39C522B-9966-4429-A8F8-417CD5D83E5E","guid":"5A1E0000-0000-4000-8000-000000000120"},
         {"number":2,"label":"ephemeral-data","startMiB":33,"sizeMiB":32,"wipePartitionEntry":true,
          "guid":"3ED3993F-0016-422B-B134-09FCBA6F66EF"},
         {"number":3,"label":"even-more-data","startMiB":65,"sizeMiB":32,"wipePartitionEntry":true,
          "guid":"5A1E0000-0000-4000-8000-000000000121"}])",
       .after = {{1, 2048, 65536, "important-data", kT2, Guid(120)},
                 {2, 67584, 65536, "ephemeral-data", kLinux, kG2},
                 {3, 133120, 65536, "even-more-data", kLinux, Guid(121)}}});
}

TEST_CASE("partitions (upstream: no-op on nonexistent): absent numbers leave the table alone") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[{"number":10,"shouldExist":false},{"number":11,"shouldExist":false},
         {"number":999,"shouldExist":false}])",
       .after = BaseDisk()});
}

TEST_CASE("partitions (upstream: no-op on nonexistent): on an empty GPT") {
  Run({.disk = R"("partitions":[{"number":1,"shouldExist":false},{"number":11,"shouldExist":false},
         {"number":999,"shouldExist":false}])",
       .after = {}});
}

TEST_CASE("partitions (upstream: match all): every field given, nothing changes") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[
         {"number":1,"label":"EFI-SYSTEM","startMiB":2,"sizeMiB":16,"typeGuid":"C12A7328-F81F-11D2-BA4B-00A0C93EC93B"},
         {"number":6,"label":"OEM","startMiB":18,"sizeMiB":16,"typeGuid":"0FC63DAF-8483-4772-8E79-3D69D8477DE4"},
         {"number":9,"label":"ROOT","startMiB":34,"sizeMiB":16,"typeGuid":"3884DD41-8582-4404-B9A8-E9B84F2DF50E"}])",
       .after = BaseDisk()});
}

TEST_CASE("partitions (upstream: match all with wipe): matching entries are kept, GUIDs too") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[
         {"number":1,"label":"EFI-SYSTEM","startMiB":2,"sizeMiB":16,"typeGuid":"C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
          "wipePartitionEntry":true},
         {"number":6,"label":"OEM","startMiB":18,"sizeMiB":16,"typeGuid":"0FC63DAF-8483-4772-8E79-3D69D8477DE4",
          "wipePartitionEntry":true},
         {"number":9,"label":"ROOT","startMiB":34,"sizeMiB":16,"typeGuid":"3884DD41-8582-4404-B9A8-E9B84F2DF50E",
          "wipePartitionEntry":true}])",
       .after = BaseDisk()});
}

TEST_CASE("partitions (upstream: wipe a bad table): wipeTable over a garbled primary GPT leaves an empty one") {
  Run({.before = {{1, 2048, 65536, "deleteme", kLinux, Guid(122)}},
       .disk = R"("wipeTable":true)",
       .after = {},
       .corrupt = 1});
  CHECK(Contains(Must({"sfdisk", "-d", kDisk}), "label: gpt"));
}

TEST_CASE("partitions (upstream: wipe a bad table): wipeTable when both GPTs are garbled") {
  Run({.before = {{1, 2048, 65536, "deleteme", kLinux, Guid(122)}},
       .disk = R"("wipeTable":true,"partitions":[{"number":1,"label":"fresh","sizeMiB":16,
         "guid":"5A1E0000-0000-4000-8000-000000000128"}])",
       .after = {{1, 2048, 32768, "fresh", kLinux, Guid(128)}},
       .corrupt = 2});
}

TEST_CASE("partitions (upstream: create with start and size 0): fills the disk") {
  Run({.disk = R"("partitions":[{"number":1,"label":"fills-disk","startMiB":0,"sizeMiB":0,
         "typeGuid":"F39C522B-9966-4429-A8F8-417CD5D83E5E","guid":"3ED3993F-0016-422B-B134-09FCBA6F66EF"}])",
       .after = {{1, 2048, kLastUsable - 2048 + 1, "fills-disk", kT2, kG2}}});
}

TEST_CASE("partitions (upstream: number and size 0): next free numbers, the last fills the rest") {
  Run({.disk = R"("partitions":[
         {"label":"uno","sizeMiB":32,"typeGuid":"F39C522B-9966-4429-A8F8-417CD5D83E5E",
          "guid":"5A1E0000-0000-4000-8000-000000000123"},
         {"label":"dos","sizeMiB":32,"typeGuid":"F39C522B-9966-4429-A8F8-417CD5D83E5E",
          "guid":"5A1E0000-0000-4000-8000-000000000124"},
         {"label":"tres","sizeMiB":0,"typeGuid":"F39C522B-9966-4429-A8F8-417CD5D83E5E",
          "guid":"5A1E0000-0000-4000-8000-000000000125"}])",
       .after = {{1, 2048, 65536, "uno", kT2, Guid(123)},
                 {2, 67584, 65536, "dos", kT2, Guid(124)},
                 {3, 133120, kLastUsable - 133120 + 1, "tres", kT2, Guid(125)}}});
}

TEST_CASE("partitions (upstream: resize root with zeros): start and size 0 recreate ROOT to the end") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[{"number":9,"label":"ROOT","startMiB":0,"sizeMiB":0,
         "typeGuid":"3884DD41-8582-4404-B9A8-E9B84F2DF50E","guid":"3ED3993F-0016-422B-B134-09FCBA6F66EF",
         "wipePartitionEntry":true}])",
       .after = BaseWithRoot(kLastUsable - 69632 + 1, kG2)});
}

TEST_CASE("partitions (upstream: root fills disk): start and size 0 match a ROOT that fills the disk") {
  Run({.before = BaseWithRoot(kLastUsable - 69632 + 1),
       .disk = R"("partitions":[{"number":9,"label":"ROOT","startMiB":0,"sizeMiB":0,
         "typeGuid":"3884DD41-8582-4404-B9A8-E9B84F2DF50E"}])",
       .after = BaseWithRoot(kLastUsable - 69632 + 1)});
}

TEST_CASE("partitions (upstream: unspecified size/start matching): free space after ROOT does not matter") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[{"number":9,"label":"ROOT","typeGuid":"3884DD41-8582-4404-B9A8-E9B84F2DF50E"}])",
       .after = BaseDisk()});
}

TEST_CASE("partitions (upstream: number 0): a new label takes the next free number") {
  Run({.before = {{1, 2048, 65536, "foobar", kT0, kG0}},
       .disk = R"("partitions":[{"label":"newpart","sizeMiB":32,"guid":"5A1E0000-0000-4000-8000-000000000126"},
         {"number":1,"label":"foobar"}])",
       .after = {{1, 2048, 65536, "foobar", kT0, kG0}, {2, 67584, 65536, "newpart", kLinux, Guid(126)}}});
}

// ---------------------------------------------------------------------------- negative

TEST_CASE("partitions (upstream negative: delete without wipe): shouldExist false alone is refused") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[{"number":9,"shouldExist":false}])",
       .error = Error(0, "partition 9 exists but is specified as nonexistent (shouldExist false) and "
                         "wipePartitionEntry is false")});
}

TEST_CASE("partitions (upstream negative: match fail): a size mismatch without wipe or resize") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[{"number":9,"sizeMiB":2}])",
       .error = Error(0, "partition 9 exists with size 32768 sectors but the config wants 4096; set resize")});
}

TEST_CASE("partitions (upstream negative: match fail): also after an entry that is absent as asked") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[{"number":10,"shouldExist":false},{"number":9,"sizeMiB":2}])",
       .error = Error(1, "partition 9 exists with size 32768 sectors but the config wants 4096")});
}

TEST_CASE("partitions (upstream negative: partial match fail): the first entry matches, the second does not") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[{"number":1},{"number":9,"sizeMiB":2}])",
       .error = Error(1, "partition 9 exists with size 32768 sectors but the config wants 4096")});
}

TEST_CASE("partitions (upstream negative: resize mismatch): resize does not change a label") {
  Run({.before = BaseDisk(),
       .disk = R"("partitions":[{"number":9,"label":"root","sizeMiB":128,"resize":true}])",
       .error = Error(0, "partition 9 exists with size 32768 sectors but the config wants 262144, and with label "
                         "\"ROOT\" but the config wants \"root\"; resize changes only the size")});
}

TEST_CASE("partitions (upstream negative: fails to fill): size 0 cannot reach the largest free block") {
  Run({.before = BaseWithTen(),
       .disk = R"("partitions":[{"number":9,"sizeMiB":0}])",
       .error = Error(0, "cannot place partition 9: with size 0 it would fill the largest free block (sectors "
                         "167936-524254), which does not contain its start 69632")});
}

TEST_CASE("partitions (upstream negative: fails to start): start 0 is not where ROOT starts") {
  Run({.before = BaseWithTen(),
       .disk = R"("partitions":[{"number":9,"startMiB":0}])",
       .error = Error(0, "partition 9 exists with start 69632 sectors but the config wants 167936")});
}

// ---------------------------------------------------------------------------- filesystems (vdh1)
// upstream's tests/positive/filesystems: a filesystem made by hand on /dev/vdh1 (one 399 MiB
// partition, so that xfs fits), then `flint -stage disks` with one storage.filesystems entry.

namespace {

constexpr const char* kFsDev = "/dev/vdh1";

struct FsCase {
  Argv before{};          // makes the starting filesystem on kFsDev (kFsDev is appended)
  std::string fs{};       // the storage.filesystems entry, after "device"
  std::string blkid{};    // what Blkid(kFsDev) starts with afterwards
  bool kept = false;      // reused as it was (a marker file survives), or made anew
  std::string error{};    // flint must fail with this, the filesystem as it was
};

bool Mountable(const std::string& blkid) {
  return blkid.rfind("TYPE=ext", 0) == 0 || blkid.rfind("TYPE=btrfs", 0) == 0;
}

bool HasMarker() {
  fs::create_directories("/tmp/fsmark");
  Must({"mount", kFsDev, "/tmp/fsmark"});
  bool there = fs::exists("/tmp/fsmark/marker");
  Must({"umount", "/tmp/fsmark"});
  return there;
}

void RunFs(const FsCase& c) {
  if (!fs::exists("/sys/class/block/vdh1")) {
    Must({"sh", "-c", "printf 'label: gpt\\nsize=399MiB, name=OEM\\n' | sfdisk -q /dev/vdh"});
    Must({"udevadm", "settle"});
  }
  Must({"wipefs", "-q", "-a", kFsDev});
  Argv mkfs = c.before;
  mkfs.push_back(kFsDev);
  Must(mkfs);
  const std::string was = Blkid(kFsDev);
  if (Mountable(was)) {
    fs::create_directories("/tmp/fsmark");
    Must({"mount", kFsDev, "/tmp/fsmark"});
    std::ofstream("/tmp/fsmark/marker") << "kept";
    Must({"umount", "/tmp/fsmark"});
  }
  RunResult r = Flint(R"({"filesystems":[{"device":")" + std::string(kFsDev) + "\"," + c.fs + "}]}");
  INFO(r.out);
  const std::string now = Blkid(kFsDev);
  INFO("blkid before: " << was << "\nblkid after: " << now);
  if (!c.error.empty()) {
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.out, c.error));
    CHECK(now == was);
    return;
  }
  REQUIRE(r.exit_code == 0);
  CHECK(now.rfind(c.blkid, 0) == 0);
  CHECK(Contains(r.out, "already correctly formatted") == c.kept);
  if (Mountable(was) && Mountable(now)) CHECK(HasMarker() == c.kept);
}

const Argv kExt2{"mke2fs", "-q", "-F", "-t", "ext2", "-L", "OEM"};

}  // namespace

TEST_CASE("filesystems (upstream: Reformat a Filesystem to Btrfs): ext2 to btrfs with wipeFilesystem") {
  RunFs({.before = kExt2,
         .fs = R"("format":"btrfs","label":"OEM","uuid":"CA7D7CCB-63ED-4C53-861C-1742536059D0","wipeFilesystem":true)",
         .blkid = "TYPE=btrfs LABEL=OEM UUID=ca7d7ccb-63ed-4c53-861c-1742536059d0"});
}

TEST_CASE("filesystems (upstream: Reformat a Filesystem to XFS): ext2 to xfs with wipeFilesystem") {
  RunFs({.before = kExt2,
         .fs = R"("format":"xfs","label":"OEM","uuid":"CA7D7CCB-63ED-4C53-861C-1742536059D1","wipeFilesystem":true)",
         .blkid = "TYPE=xfs LABEL=OEM UUID=ca7d7ccb-63ed-4c53-861c-1742536059d1"});
}

TEST_CASE("filesystems (upstream: Reformat a Filesystem to VFAT): ext2 to vfat, UUID without a dash") {
  RunFs({.before = kExt2,
         .fs = R"("format":"vfat","label":"OEM","uuid":"2e24ec82","wipeFilesystem":true)",
         .blkid = "TYPE=vfat LABEL=OEM UUID=2E24-EC82"});
}

TEST_CASE("filesystems (upstream: Reformat a Filesystem to EXT4): ext2 to ext4 with wipeFilesystem") {
  RunFs({.before = kExt2,
         .fs = R"("format":"ext4","label":"OEM","uuid":"CA7D7CCB-63ED-4C53-861C-1742536059D2","wipeFilesystem":true)",
         .blkid = "TYPE=ext4 LABEL=OEM UUID=ca7d7ccb-63ed-4c53-861c-1742536059d2"});
}

TEST_CASE("filesystems (upstream: Reformat a Filesystem to SWAP): ext2 to swap with wipeFilesystem") {
  RunFs({.before = kExt2,
         .fs = R"("format":"swap","label":"OEM","uuid":"CA7D7CCB-63ED-4C53-861C-1742536059D3","wipeFilesystem":true)",
         .blkid = "TYPE=swap LABEL=OEM UUID=ca7d7ccb-63ed-4c53-861c-1742536059d3"});
}

TEST_CASE("filesystems (upstream: Wipe Filesystem with Filesystem of same type): ext4 made anew") {
  RunFs({.before = {"mkfs.ext4", "-q", "-F", "-L", "old"},
         .fs = R"("format":"ext4","wipeFilesystem":true)",
         .blkid = "TYPE=ext4 UUID="});
}

TEST_CASE("filesystems (upstream: Reuse Existing Filesystem): btrfs with matching label and UUID is kept") {
  RunFs({.before = {"mkfs.btrfs", "-q", "-f", "-L", "data", "-U", "8A7A6E26-5E8F-4CCA-A654-46215D4696AC"},
         .fs = R"("format":"btrfs","label":"data","uuid":"8A7A6E26-5E8F-4CCA-A654-46215D4696AC",
                  "wipeFilesystem":false)",
         .blkid = "TYPE=btrfs LABEL=data UUID=8a7a6e26-5e8f-4cca-a654-46215d4696ac",
         .kept = true});
}

TEST_CASE("filesystems (upstream: filesystem.mount.options): path and mountOptions do not disturb reuse") {
  RunFs({.before = {"mkfs.btrfs", "-q", "-f"},
         .fs = R"("path":"/tmp0","format":"btrfs","wipeFilesystem":false,"mountOptions":["noexec","subvolid=5"])",
         .blkid = "TYPE=btrfs",
         .kept = true});
}

TEST_CASE("filesystems (upstream: UUID regression, ext4): an upper-case UUID matches blkid's lower-case one") {
  RunFs({.before = {"mkfs.ext4", "-q", "-F", "-L", "OEM", "-U", "ca7d7ccb-63ed-4c53-861c-1742536059d2"},
         .fs = R"("format":"ext4","label":"OEM","uuid":"CA7D7CCB-63ED-4C53-861C-1742536059D2")",
         .blkid = "TYPE=ext4 LABEL=OEM UUID=ca7d7ccb-63ed-4c53-861c-1742536059d2",
         .kept = true});
}

TEST_CASE("filesystems (upstream: UUID regression, vfat): 2e24ec82 matches blkid's 2E24-EC82") {
  RunFs({.before = {"mkfs.fat", "-n", "OEM", "-i", "2E24EC82"},
         .fs = R"("format":"vfat","label":"OEM","uuid":"2e24ec82")",
         .blkid = "TYPE=vfat LABEL=OEM UUID=2E24-EC82",
         .kept = true});
}

TEST_CASE("filesystems (upstream negative: wrong existing type without wipe): btrfs asked over ext2") {
  RunFs({.before = kExt2,
         .fs = R"("format":"btrfs","label":"OEM")",
         .error = "type \"ext2\" (want \"btrfs\")"});
}

TEST_CASE("filesystems (upstream negative: filesystem.erase.block.device.invalidoptions): format none "
          "without wipeFilesystem over ext4") {
  RunFs({.before = {"mkfs.ext4", "-q", "-F"},
         .fs = R"("format":"none","path":"/tmp0","wipeFilesystem":false)",
         .error = "type \"ext4\" (want \"none\")"});
}

TEST_CASE("filesystems (upstream negative: No Filesystem Type w/ wipeFilesystem): the config is refused") {
  RunFs({.before = kExt2,
         .fs = R"("wipeFilesystem":true)",
         .error = "format cannot be empty when path, label, uuid, wipeFilesystem"});
}
