// Partitioning sparse image files on the host: configs with fixed GUIDs are
// planned against the table libfdisk reads, applied in one write, and the
// result compared with the exact `sfdisk -d` output and read back. libfdisk
// works on plain files, so no kernel partition support is needed.
#include "agent/os/partition_table.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>

#include "agent/error.h"
#include "agent/os/runner.h"
#include "schema/parse.h"
#include "stages/disks/partition_plan.h"

namespace flint {
namespace {

namespace fs = std::filesystem;
using agent::PartitionAction;
using agent::PartitionPlan;
using agent::TableAccess;

constexpr int64_t kMiB = 1024 * 1024;
constexpr const char* kEfi = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
constexpr const char* kLinux = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

// A sparse image file in its own temporary directory.
class Image {
 public:
  explicit Image(int64_t bytes) {
    std::string tmpl = (fs::temp_directory_path() / "flint-pt-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    path_ = (dir_ / "disk.img").string();
    std::ofstream(path_).close();
    fs::resize_file(path_, static_cast<uintmax_t>(bytes));
  }
  ~Image() { fs::remove_all(dir_); }
  const std::string& path() const { return path_; }

  // The first `n` bytes, or the whole image.
  std::string Bytes(size_t n = std::string::npos) const {
    std::ifstream in(path_, std::ios::binary);
    std::string bytes(std::min<uintmax_t>(n, fs::file_size(path_)), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return bytes;
  }
  void Overwrite(int64_t offset, const std::string& bytes) const {
    std::fstream f(path_, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(offset);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

 private:
  fs::path dir_;
  std::string path_;
};

std::string Sfdisk() { return fs::exists("/usr/sbin/sfdisk") ? "/usr/sbin/sfdisk" : "sfdisk"; }

// `sfdisk -d`, with the image path as IMG and the random disk GUID as *.
std::string Dump(const Image& img) {
  agent::ProcessRunner runner;
  agent::RunResult r = runner.Run({Sfdisk(), "-d", img.path()});
  REQUIRE(r.exit_code == 0);
  std::string out = std::regex_replace(r.out, std::regex("label-id: [0-9A-Fa-fx-]+"), "label-id: *");
  size_t at;
  while ((at = out.find(img.path())) != std::string::npos) out.replace(at, img.path().size(), "IMG");
  return out;
}

// Lays out a table with sfdisk's own script language (for starting states);
// "IMG3 :" in the script is partition 3 of the image.
void SfdiskScript(const Image& img, std::string script) {
  size_t at;
  while ((at = script.find("IMG")) != std::string::npos) script.replace(at, 3, img.path());
  agent::ProcessRunner runner;
  agent::RunResult r = runner.Run({Sfdisk(), "-q", "--no-reread", "--no-tell-kernel", img.path()}, script);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

std::string Header(int64_t last_lba, const std::string& first_lba = "34") {
  return "label: gpt\nlabel-id: *\ndevice: IMG\nunit: sectors\nfirst-lba: " + first_lba +
         "\nlast-lba: " + std::to_string(last_lba) + "\nsector-size: 512\n\n";
}

// One `sfdisk -d` partition line.
std::string Line(int n, int64_t start, int64_t size, const std::string& type, const std::string& uuid,
                 const std::string& name) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "IMG%d : start=%12lld, size=%12lld, type=%s, uuid=%s", n,
                static_cast<long long>(start), static_cast<long long>(size), type.c_str(), uuid.c_str());
  std::string line = buf;
  if (!name.empty()) line += ", name=\"" + name + "\"";
  return line + "\n";
}

// The first disk of a spec 3.4.0 config whose "storage.disks" is `disks`,
// with $IMG standing for the image path.
schema::Disk DiskFrom(const Image& img, std::string disks) {
  size_t at;
  while ((at = disks.find("$IMG")) != std::string::npos) disks.replace(at, 4, img.path());
  std::string config = R"({"ignition": {"version": "3.4.0"}, "storage": {"disks": )" + disks + "}}";
  schema::ParseResult parsed = schema::Parse(config);
  INFO(parsed.report.String());
  REQUIRE(parsed.config);
  REQUIRE(parsed.config->storage.disks.size() == 1);
  return parsed.config->storage.disks[0];
}

PartitionPlan PlanFor(const Image& img, const schema::Disk& disk, const TableAccess& access = {}) {
  return stages::PlanPartitions(disk, schema::Path() / "storage" / "disks" / 0,
                                agent::ReadPartitionTable(img.path(), access));
}

// Plans and applies the config's disk to the image.
PartitionPlan Provision(const Image& img, const std::string& disks, const TableAccess& access = {}) {
  PartitionPlan plan = PlanFor(img, DiskFrom(img, disks), access);
  agent::ApplyOptions options;
  options.access = access;
  agent::ApplyPartitionPlan(img.path(), plan, options);
  return plan;
}

const char* kThreeParts = R"([{"device": "$IMG", "partitions": [
    {"number": 1, "label": "EFI-SYSTEM", "sizeMiB": 127, "typeGuid": "c12a7328-f81f-11d2-ba4b-00a0c93ec93b",
     "guid": "11111111-2222-4333-8444-555555555501"},
    {"number": 2, "label": "boot", "startMiB": 128, "sizeMiB": 384, "guid": "11111111-2222-4333-8444-555555555502"},
    {"number": 4, "label": "root", "sizeMiB": 0, "typeGuid": "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709",
     "guid": "11111111-2222-4333-8444-555555555504"}]}])";

std::string ThreePartsDump() {
  return Header(2097118) + Line(1, 2048, 260096, kEfi, "11111111-2222-4333-8444-555555555501", "EFI-SYSTEM") +
         Line(2, 262144, 786432, kLinux, "11111111-2222-4333-8444-555555555502", "boot") +
         Line(4, 1048576, 1048543, "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709",
              "11111111-2222-4333-8444-555555555504", "root");
}

TEST_CASE("partition table: create on a blank image") {
  Image img(1024 * kMiB);
  PartitionPlan plan = Provision(img, kThreeParts);
  CHECK(plan.create_table);
  CHECK(Dump(img) == ThreePartsDump());
  agent::DiskTable back = agent::ReadPartitionTable(img.path());
  CHECK(back.label_type == "gpt");
  CHECK(back.first_usable == 34);
  CHECK(back.last_usable == 2097118);
  REQUIRE(back.partitions.size() == 3);
  CHECK(back.partitions[2] == agent::TablePartition{4, 1048576, 1048543,
                                                    "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709",
                                                    "11111111-2222-4333-8444-555555555504", "root"});
}

// 64 MiB: a small partition, then one filling the disk.
const char* kTwoParts = R"([{"device": "$IMG", "partitions": [
    {"number": 1, "label": "boot", "sizeMiB": 8, "guid": "11111111-2222-4333-8444-555555555501"},
    {"number": 2, "label": "root", "guid": "11111111-2222-4333-8444-555555555502"}]}])";

TEST_CASE("partition table: applying the same config again changes nothing") {
  Image img(64 * kMiB);
  Provision(img, kTwoParts);
  CHECK(Dump(img) == Header(131038) +
                         Line(1, 2048, 16384, kLinux, "11111111-2222-4333-8444-555555555501", "boot") +
                         Line(2, 18432, 112607, kLinux, "11111111-2222-4333-8444-555555555502", "root"));
  std::string before = img.Bytes();
  PartitionPlan again = Provision(img, kTwoParts);
  CHECK_FALSE(again.Changes());
  CHECK(img.Bytes() == before);
}

TEST_CASE("partition table: wipeTable replaces an MBR table") {
  Image img(1024 * kMiB);
  SfdiskScript(img, "label: dos\nstart=2048, size=4096, type=83\nstart=8192, size=100000, type=82\n");
  std::string disks = kThreeParts;
  disks.replace(disks.find(R"("partitions")"), 0, R"("wipeTable": true, )");
  Provision(img, disks);
  CHECK(Dump(img) == ThreePartsDump());
}

TEST_CASE("partition table: without wipeTable an MBR table is refused and left alone") {
  Image img(64 * kMiB);
  SfdiskScript(img, "label: dos\nstart=2048, size=4096, type=83\n");
  std::string before = img.Bytes();
  CHECK_THROWS_WITH(
      Provision(img, R"([{"device": "$IMG", "partitions": [{"number": 2, "sizeMiB": 1}]}])"),
      "refusing to partition '" + img.path() +
          "' (at $.storage.disks.0): it has a dos partition table, and flint writes GPT only; set "
          "wipeTable to replace it");
  CHECK(img.Bytes() == before);
}

TEST_CASE("partition table: wipeTable over a corrupt GPT") {
  Image img(64 * kMiB);
  SfdiskScript(img, "label: gpt\nstart=2048, size=4096\n");
  img.Overwrite(512, std::string(92, 'X'));              // primary header
  img.Overwrite(64 * kMiB - 512, std::string(92, 'X'));  // backup header
  Provision(img, R"([{"device": "$IMG", "wipeTable": true, "partitions": [
      {"number": 1, "label": "data", "guid": "11111111-2222-4333-8444-555555555501"}]}])");
  CHECK(Dump(img) ==
        Header(131038) + Line(1, 2048, 128991, kLinux, "11111111-2222-4333-8444-555555555501", "data"));
}

TEST_CASE("partition table: delete, keep and recreate in one write") {
  Image img(1024 * kMiB);
  Provision(img, kThreeParts);
  Provision(img, R"([{"device": "$IMG", "partitions": [
      {"number": 1, "label": "EFI-SYSTEM"},
      {"number": 2, "shouldExist": false, "wipePartitionEntry": true},
      {"number": 4, "label": "var", "sizeMiB": 256, "wipePartitionEntry": true,
       "guid": "11111111-2222-4333-8444-555555555509"}]}])");
  // 4 restarts in the largest free block, where 2 was.
  CHECK(Dump(img) == Header(2097118) +
                         Line(1, 2048, 260096, kEfi, "11111111-2222-4333-8444-555555555501", "EFI-SYSTEM") +
                         Line(4, 262144, 524288, kLinux, "11111111-2222-4333-8444-555555555509", "var"));
}

TEST_CASE("partition table: resize keeps the partition's identity") {
  Image img(1024 * kMiB);
  Provision(img, R"([{"device": "$IMG", "partitions": [
      {"number": 1, "label": "root", "sizeMiB": 100, "typeGuid": "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709",
       "guid": "11111111-2222-4333-8444-555555555501"}]}])");
  PartitionPlan plan =
      Provision(img, R"([{"device": "$IMG", "partitions": [{"number": 1, "sizeMiB": 0, "resize": true}]}])");
  REQUIRE(plan.partitions.size() == 1);
  CHECK(plan.partitions[0].action == PartitionAction::kResize);
  CHECK(Dump(img) == Header(2097118) + Line(1, 2048, 2095071, "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709",
                                            "11111111-2222-4333-8444-555555555501", "root"));
}

TEST_CASE("partition table: number 0 takes the next free numbers") {
  Image img(256 * kMiB);
  SfdiskScript(img,
               "label: gpt\nfirst-lba: 34\nstart=2048, size=2048, uuid=11111111-2222-4333-8444-555555555501\n"
               "IMG3 : start=4096, size=2048, uuid=11111111-2222-4333-8444-555555555503\n");
  Provision(img, R"([{"device": "$IMG", "partitions": [
      {"label": "a", "sizeMiB": 1, "guid": "11111111-2222-4333-8444-5555555555a0"},
      {"label": "b", "sizeMiB": 1, "guid": "11111111-2222-4333-8444-5555555555b0"}]}])");
  CHECK(Dump(img) == Header(524254) +
                         Line(1, 2048, 2048, kLinux, "11111111-2222-4333-8444-555555555501", "") +
                         Line(2, 6144, 2048, kLinux, "11111111-2222-4333-8444-5555555555A0", "a") +
                         Line(3, 4096, 2048, kLinux, "11111111-2222-4333-8444-555555555503", "") +
                         Line(4, 8192, 2048, kLinux, "11111111-2222-4333-8444-5555555555B0", "b"));
}

// The backup GPT of an image written to a bigger disk is mid-disk. libfdisk
// writes it at the end, so the new space is usable (as after `sgdisk -e`).
TEST_CASE("partition table: a grown disk's new space is usable") {
  Image img(64 * kMiB);
  SfdiskScript(
      img, "label: gpt\nfirst-lba: 34\nstart=2048, size=16384, uuid=11111111-2222-4333-8444-555555555501\n");
  fs::resize_file(img.path(), 128 * kMiB);
  CHECK(agent::ReadPartitionTable(img.path()).last_usable == 262110);
  Provision(img, R"([{"device": "$IMG", "partitions": [
      {"number": 2, "label": "more", "guid": "11111111-2222-4333-8444-555555555502"}]}])");
  CHECK(Dump(img) == Header(262110) +
                         Line(1, 2048, 16384, kLinux, "11111111-2222-4333-8444-555555555501", "") +
                         Line(2, 18432, 243679, kLinux, "11111111-2222-4333-8444-555555555502", "more"));
}

TEST_CASE("partition table: 4096-byte logical sectors") {
  Image img(256 * kMiB);
  TableAccess access{4096};
  Provision(img, R"([{"device": "$IMG", "partitions": [
      {"number": 1, "label": "a", "sizeMiB": 32, "guid": "11111111-2222-4333-8444-555555555501"},
      {"number": 2, "label": "b", "sizeMiB": 0, "guid": "11111111-2222-4333-8444-555555555502"}]}])",
            access);
  agent::DiskTable back = agent::ReadPartitionTable(img.path(), access);
  CHECK(back.sector_size == 4096);
  CHECK(back.first_usable == 6);
  CHECK(back.last_usable == 65530);
  CHECK(back.partitions == std::vector<agent::TablePartition>{
                               {1, 256, 8192, kLinux, "11111111-2222-4333-8444-555555555501", "a"},
                               {2, 8448, 57083, kLinux, "11111111-2222-4333-8444-555555555502", "b"}});
  std::string head = img.Bytes(8192);
  CHECK(head.substr(4096, 8) == "EFI PART");
  CHECK(head.substr(512, 8) != "EFI PART");
}

TEST_CASE("partition table: reading keeps unaligned partitions and the table's own usable range") {
  Image img(64 * kMiB);
  SfdiskScript(img, "label: gpt\nfirst-lba: 34\nstart=34, size=100, name=tiny\nIMG5 : start=4097, size=77\n");
  agent::DiskTable t = agent::ReadPartitionTable(img.path());
  CHECK(t.first_usable == 34);
  CHECK(t.max_partitions == 128);
  REQUIRE(t.partitions.size() == 2);
  CHECK(t.partitions[0].start == 34);
  CHECK(t.partitions[0].size == 100);
  CHECK(t.partitions[0].label == "tiny");
  CHECK(t.partitions[1].number == 5);
  CHECK(t.partitions[1].start == 4097);
}

TEST_CASE("partition table: a blank image has no label and a fresh GPT's range") {
  Image img(64 * kMiB);
  agent::DiskTable t = agent::ReadPartitionTable(img.path());
  CHECK_FALSE(t.has_table());
  CHECK(t.total_sectors == 131072);
  CHECK(t.first_usable == 34);
  CHECK(t.last_usable == 131038);
  CHECK(t.partitions.empty());
}

TEST_CASE("partition table: errors name the call and the device") {
  CHECK_THROWS_WITH(agent::ReadPartitionTable("/nonexistent/disk.img"),
                    "fdisk_assign_device '/nonexistent/disk.img': No such file or directory");
}

// --- a failure leaves the image untouched ---------------------------------

agent::PlannedPartition Planned(PartitionAction action, int64_t number, int64_t start, int64_t size,
                                const std::string& type = kLinux) {
  return {action, "$.storage.disks.0.partitions.0", number, start, size, type, "", ""};
}

TEST_CASE("partition table: a failing plan leaves the image byte for byte untouched") {
  Image img(64 * kMiB);
  SfdiskScript(img, "label: gpt\nfirst-lba: 34\nstart=2048, size=4096\n");
  std::string before = img.Bytes();
  PartitionPlan plan;
  plan.first_usable = 34;
  plan.last_usable = 131038;

  SECTION("overlapping partitions") {
    plan.partitions = {Planned(PartitionAction::kKeep, 1, 2048, 4096),
                       Planned(PartitionAction::kCreate, 2, 4096, 4096)};
    CHECK_THROWS_WITH(
        agent::ApplyPartitionPlan(img.path(), plan),
        Catch::StartsWith("fdisk_add_partition '" + img.path() + "' (at $.storage.disks.0.partitions.0): "));
  }
  SECTION("beyond the disk") {
    plan.partitions = {Planned(PartitionAction::kCreate, 2, 100000, 40000)};
    CHECK_THROWS_WITH(
        agent::ApplyPartitionPlan(img.path(), plan),
        Catch::StartsWith("fdisk_add_partition '" + img.path() + "' (at $.storage.disks.0.partitions.0): "));
  }
  SECTION("a type that is not a GUID") {
    plan.partitions = {Planned(PartitionAction::kCreate, 2, 8192, 2048, "not-a-guid")};
    CHECK_THROWS(agent::ApplyPartitionPlan(img.path(), plan));
  }
  SECTION("a plan made for another table") {
    plan.partitions = {Planned(PartitionAction::kKeep, 1, 2048, 8192)};
    plan.partitions.push_back(Planned(PartitionAction::kCreate, 2, 16384, 2048));
    CHECK_THROWS_WITH(agent::ApplyPartitionPlan(img.path(), plan),
                      "checking the new partition table of '" + img.path() +
                          "' (at $.storage.disks.0.partitions.0): partition 1 is at 2048+4096, the plan has "
                          "2048+8192");
  }
  SECTION("a usable range that differs") {
    plan.first_usable = 2048;
    plan.partitions = {Planned(PartitionAction::kCreate, 2, 8192, 2048)};
    CHECK_THROWS_WITH(agent::ApplyPartitionPlan(img.path(), plan),
                      "checking the partition table of '" + img.path() +
                          "': its usable sectors are 34-131038, the plan was made for 2048-131038");
  }
  CHECK(img.Bytes() == before);
}

TEST_CASE("partition table: a refused config leaves the image untouched") {
  Image img(64 * kMiB);
  Provision(img, kTwoParts);
  std::string before = img.Bytes();
  CHECK_THROWS_WITH(
      Provision(img, R"([{"device": "$IMG", "partitions": [{"number": 2, "sizeMiB": 10}]}])"),
      "partitioning '" + img.path() +
          "' (at $.storage.disks.0.partitions.0): partition 2 exists with size 112607 sectors but the "
          "config wants 20480; set resize to change its size in place, or wipePartitionEntry to "
          "recreate it");
  CHECK(img.Bytes() == before);
}

}  // namespace
}  // namespace flint
