#include "stages/disks/partition_plan.h"

#include <catch2/catch.hpp>

#include "agent/error.h"
#include "stages/disks/plan_test_util.h"

namespace flint::stages {
namespace {

using agent::DiskTable;
using agent::PartitionAction;
using schema::Partition;
using testing::DiskOf;
using testing::P;
using testing::Plan;
using testing::Steps;

constexpr const char* kGuid = "AAAAAAAA-0000-4000-8000-000000000001";
constexpr const char* kOtherType = "B921B045-1DF0-41C3-AF44-4C6F280D3FAE";

// 100 MiB, 512-byte sectors, partition 1 "data": 1 MiB + 32 MiB.
DiskTable OnePartition() {
  DiskTable t;
  t.total_sectors = 204800;
  t.label_type = "gpt";
  t.first_usable = 34;
  t.last_usable = 204766;
  t.partitions.push_back({1, 2048, 65536, agent::kLinuxFilesystemType, kGuid, "data"});
  return t;
}

DiskTable NoTable() {
  DiskTable t;
  t.total_sectors = 204800;
  return t;
}

// The config entry that matches OnePartition() exactly.
Partition Matching() { return P(1).Label("data").SizeMiB(32).StartMiB(1); }

// --- the decision matrix, row by row -------------------------------------

TEST_CASE("matrix: absent, shouldExist false: nothing, with or without wipePartitionEntry") {
  for (bool wipe : {false, true}) {
    auto plan = Plan(DiskOf({P(2).Wipe(wipe).ShouldExist(false)}), OnePartition());
    CHECK(Steps(plan) == std::vector<std::string>{"absent 2"});
    CHECK_FALSE(plan.Changes());
  }
}

TEST_CASE("matrix: absent, shouldExist true: create, with or without wipePartitionEntry") {
  for (bool wipe : {false, true}) {
    auto plan = Plan(DiskOf({P(2).SizeMiB(16).Wipe(wipe)}), OnePartition());
    CHECK(Steps(plan) == std::vector<std::string>{"create 2 67584+32768"});
    CHECK(plan.Changes());
  }
}

TEST_CASE("matrix: exists, shouldExist false, no wipePartitionEntry: fail") {
  auto disk = DiskOf({P(1).ShouldExist(false)});
  REQUIRE_THROWS_WITH(
      Plan(disk, OnePartition()),
      "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): partition 1 exists but is "
      "specified as nonexistent (shouldExist false) and wipePartitionEntry is false");
}

TEST_CASE("matrix: exists, shouldExist false, wipePartitionEntry: delete") {
  auto plan = Plan(DiskOf({P(1).Wipe().ShouldExist(false)}), OnePartition());
  CHECK(Steps(plan) == std::vector<std::string>{"delete 1 2048+65536"});
}

TEST_CASE("matrix: exists, shouldExist true, matches: nothing, with or without wipePartitionEntry") {
  for (bool wipe : {false, true}) {
    Partition p = Matching();
    p.wipe_partition_entry = wipe;
    p.type_guid = agent::kLinuxFilesystemType;
    p.guid = kGuid;
    auto plan = Plan(DiskOf({p}), OnePartition());
    CHECK(Steps(plan) == std::vector<std::string>{"keep 1 2048+65536"});
    CHECK_FALSE(plan.Changes());
  }
}

TEST_CASE("matrix: exists, mismatch, no wipePartitionEntry, resize and only the size differs: resize") {
  Partition p = Matching();
  p.size_mib = 64;
  p.resize = true;
  auto plan = Plan(DiskOf({p}), OnePartition());
  CHECK(Steps(plan) == std::vector<std::string>{"resize 1 2048+131072"});
  // A resize keeps the existing identity.
  CHECK(plan.partitions[0].guid == kGuid);
  CHECK(plan.partitions[0].label == "data");
}

TEST_CASE("matrix: exists, mismatch, no wipePartitionEntry, resize but more than the size differs: fail") {
  Partition p = Matching();
  p.size_mib = 64;
  p.label = "other";
  p.resize = true;
  REQUIRE_THROWS_WITH(
      Plan(DiskOf({p}), OnePartition()),
      "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): partition 1 exists with size "
      "65536 sectors but the config wants 131072, and with label \"data\" but the config wants "
      "\"other\"; resize changes only the size, set wipePartitionEntry to recreate it");
}

TEST_CASE("matrix: exists, mismatch, no wipePartitionEntry, no resize: fail naming every difference") {
  Partition p =
      P(1).Label("new").SizeMiB(32).StartMiB(2).Type(kOtherType).Guid("BBBBBBBB-0000-4000-8000-000000000002");
  REQUIRE_THROWS_WITH(
      Plan(DiskOf({p}), OnePartition()),
      "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): partition 1 exists with start "
      "2048 sectors but the config wants 4096, and with type GUID "
      "0FC63DAF-8483-4772-8E79-3D69D8477DE4 but the config wants " +
          std::string(kOtherType) +
          ", and with GUID AAAAAAAA-0000-4000-8000-000000000001 but the config wants "
          "BBBBBBBB-0000-4000-8000-000000000002, and with label \"data\" but the config wants "
          "\"new\"; set wipePartitionEntry to recreate it");
}

TEST_CASE("matrix: exists, only the size differs, no resize: fail suggesting resize") {
  Partition p = Matching();
  p.size_mib = 8;
  REQUIRE_THROWS_WITH(
      Plan(DiskOf({p}), OnePartition()),
      "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): partition 1 exists with size "
      "65536 sectors but the config wants 16384; set resize to change its size in place, or "
      "wipePartitionEntry to recreate it");
}

TEST_CASE("matrix: exists, mismatch, wipePartitionEntry: delete and recreate from the config") {
  Partition p = P(1).Label("new").SizeMiB(16).Wipe();
  auto plan = Plan(DiskOf({p}), OnePartition());
  // start unset with wipePartitionEntry: the largest free block after deleting it.
  CHECK(Steps(plan) == std::vector<std::string>{"recreate 1 2048+32768"});
  CHECK(plan.partitions[0].label == "new");
  CHECK(plan.partitions[0].type_guid == agent::kLinuxFilesystemType);
  CHECK(plan.partitions[0].guid.empty());  // random, as sgdisk
}

// --- matching details ------------------------------------------------------

TEST_CASE("GUIDs match case-insensitively, empty GUIDs are unset, labels match exactly") {
  Partition p = Matching();
  p.guid = "aaaaaaaa-0000-4000-8000-000000000001";
  p.type_guid = "";
  CHECK(Steps(Plan(DiskOf({p}), OnePartition())) == std::vector<std::string>{"keep 1 2048+65536"});
  p.label = "DATA";
  CHECK_THROWS_WITH(Plan(DiskOf({p}), OnePartition()),
                    Catch::Contains("label \"data\" but the config wants \"DATA\""));
}

TEST_CASE("unset start and size keep the existing partition's") {
  auto plan = Plan(DiskOf({P(1).Label("data")}), OnePartition());
  CHECK(Steps(plan) == std::vector<std::string>{"keep 1 2048+65536"});
}

TEST_CASE("unset start with wipePartitionEntry means the largest free block, as start 0") {
  DiskTable t = OnePartition();
  t.partitions.push_back({2, 100000, 2048, agent::kLinuxFilesystemType, "", "x"});
  // Without wipePartitionEntry the start is kept, and only the size differs.
  CHECK(Steps(Plan(DiskOf({P(2).Label("x").SizeMiB(2).Resize()}), t)) ==
        std::vector<std::string>{"resize 2 100000+4096"});
  // With it, partition 2 moves to where the largest free block starts once it is deleted.
  CHECK(Steps(Plan(DiskOf({P(2).Label("x").SizeMiB(2).Wipe()}), t)) ==
        std::vector<std::string>{"recreate 2 67584+4096"});
}

TEST_CASE("created partitions carry the config's type, GUID and label, upper-cased GUIDs") {
  Partition p = P(3).Label("x")
                    .SizeMiB(1)
                    .Type("b921b045-1df0-41c3-af44-4c6f280d3fae")
                    .Guid("cccccccc-0000-4000-8000-000000000003");
  auto plan = Plan(DiskOf({p}), OnePartition());
  REQUIRE(plan.partitions.size() == 1);
  CHECK(plan.partitions[0].type_guid == kOtherType);
  CHECK(plan.partitions[0].guid == "CCCCCCCC-0000-4000-8000-000000000003");
  CHECK(plan.partitions[0].label == "x");
}

TEST_CASE("MiB become sectors of the logical sector size, with a 1 MiB grain") {
  DiskTable t = NoTable();
  t.sector_size = 4096;
  t.total_sectors = 25600;  // 100 MiB
  t.grain = 256;
  auto plan = Plan(DiskOf({P(1).SizeMiB(32), P(2).StartMiB(40)}), t);
  CHECK(plan.first_usable == 6);
  CHECK(plan.last_usable == 25594);
  CHECK(Steps(plan) == std::vector<std::string>{"create 1 256+8192", "create 2 10240+15355"});
}

TEST_CASE("number 0 takes the next free number after every numbered entry") {
  auto plan =
      Plan(DiskOf({P().Label("a").SizeMiB(1), P(2).SizeMiB(1), P().Label("b").SizeMiB(1)}), OnePartition());
  CHECK(Steps(plan) ==
        std::vector<std::string>{"create 2 67584+2048", "create 3 69632+2048", "create 4 71680+2048"});
  CHECK(plan.partitions[1].field == "$.storage.disks.0.partitions.0");
  CHECK(plan.partitions[2].field == "$.storage.disks.0.partitions.2");
}

// Config validation rejects number 0 beside shouldExist false
// (ErrZeroesWithShouldNotExist); if it gets here anyway, the freed number is
// reused as upstream does, and the entry then meets the old partition.
TEST_CASE("number 0 beside shouldExist false meets the partition whose number it reuses") {
  auto disk = DiskOf({P(1).Wipe().ShouldExist(false), P().Label("new").SizeMiB(1)});
  CHECK_THROWS_WITH(
      Plan(disk, OnePartition()),
      Catch::Contains("(at $.storage.disks.0.partitions.1): partition 1 exists with size 65536 sectors "
                      "but the config wants 2048"));
}

TEST_CASE("number 0 with an existing label: a new partition as upstream, or a match when asked") {
  auto disk = DiskOf({P().Label("data")});
  CHECK(Steps(Plan(disk, OnePartition())) == std::vector<std::string>{"create 2 67584+137183"});
  PlanOptions by_label{.match_number_zero_by_label = true};
  CHECK(Steps(Plan(disk, OnePartition(), by_label)) == std::vector<std::string>{"keep 1 2048+65536"});
}

TEST_CASE("matching number 0 by label refuses ambiguous and already claimed labels") {
  PlanOptions by_label{.match_number_zero_by_label = true};
  DiskTable twice = OnePartition();
  twice.partitions.push_back({2, 67584, 2048, agent::kLinuxFilesystemType, "", "data"});
  CHECK_THROWS_WITH(Plan(DiskOf({P().Label("data")}), twice, by_label),
                    "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): 2 partitions are labelled "
                    "\"data\"; give the partition a number");
  CHECK_THROWS_WITH(
      Plan(DiskOf({P().Label("data"), P(1).Label("data")}), OnePartition(), by_label),
      "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): partition 1 labelled \"data\" "
      "is already claimed by $.storage.disks.0.partitions.1");
  // A match is then decided like a numbered entry: here, a resize.
  CHECK(Steps(Plan(DiskOf({P().Label("data").SizeMiB(64).Resize()}), OnePartition(), by_label)) ==
        std::vector<std::string>{"resize 1 2048+131072"});
}

TEST_CASE("a partition number beyond the table fails only when it should exist") {
  CHECK_FALSE(Plan(DiskOf({P(999).ShouldExist(false)}), OnePartition()).Changes());
  CHECK_THROWS_WITH(
      Plan(DiskOf({P(129)}), OnePartition()),
      "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): partition number 129 is outside "
      "the 128 entries of the partition table");
}

// --- tables ----------------------------------------------------------------

TEST_CASE("a disk without a table gets a fresh GPT only when something is created") {
  auto plan = Plan(DiskOf({P(1).SizeMiB(32)}), NoTable());
  CHECK(plan.create_table);
  CHECK(plan.first_usable == 34);
  CHECK(plan.last_usable == 204766);
  CHECK_FALSE(Plan(DiskOf({}), NoTable()).Changes());
  CHECK_FALSE(Plan(DiskOf({P(1).ShouldExist(false)}), NoTable()).Changes());
}

TEST_CASE("wipeTable starts from an empty GPT and always writes") {
  auto plan = Plan(DiskOf({}, true), OnePartition());
  CHECK(plan.wipe_table);
  CHECK(plan.create_table);
  CHECK(plan.partitions.empty());
  auto again = Plan(DiskOf({Matching()}, true), OnePartition());
  CHECK(Steps(again) == std::vector<std::string>{"create 1 2048+65536"});
}

TEST_CASE("a non-GPT table is refused unless wipeTable replaces it") {
  DiskTable dos = OnePartition();
  dos.label_type = "dos";
  CHECK_THROWS_WITH(
      Plan(DiskOf({Matching()}), dos),
      "refusing to partition '/dev/vdb' (at $.storage.disks.0): it has a dos partition table, and "
      "flint writes GPT only; set wipeTable to replace it");
  CHECK(Plan(DiskOf({Matching()}, true), dos).create_table);
}

TEST_CASE("negative MiB values are refused with their field") {
  CHECK_THROWS_WITH(Plan(DiskOf({P(2).SizeMiB(-1)}), OnePartition()),
                    "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): sizeMiB -1 is negative");
}

}  // namespace
}  // namespace flint::stages
