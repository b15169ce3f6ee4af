// upstream Ignition's black-box partition tests (tests/positive/partitions,
// tests/negative/partitions), each as a plan over an in-memory table laid out
// as upstream's harness lays out its images. Sizes are MiB (spec 3); 32 MiB
// is 65536 sectors. Expected layouts give exact starts, which upstream's
// validator does not check but flint's does.
#include <catch2/catch.hpp>

#include "agent/error.h"
#include "stages/disks/partition_plan.h"
#include "stages/disks/plan_test_util.h"

namespace flint::stages {
namespace {

using agent::DiskTable;
using testing::Apply;
using testing::BaseDisk;
using testing::DiskOf;
using testing::ImageSectors;
using testing::Layout;
using testing::P;
using testing::Plan;
using testing::Steps;
using testing::Summary;
using testing::TableOf;
using V = std::vector<std::string>;

using testing::kG0;
using testing::kG1;
using testing::kG2;
using testing::kT0;
using testing::kT1;
using testing::kT2;

// upstream's second, blank disk ($disk1), big enough for `out`.
DiskTable Disk1(const Layout& in, const Layout& out) {
  return TableOf(in, std::max(ImageSectors(in), ImageSectors(out)));
}

// The base disk ($disk0) with ROOT grown to 6352 MiB in `out`.
constexpr int64_t kRootGrown = 12943360 + 65536;
DiskTable Disk0Grown() {
  Layout out = BaseDisk();
  out.parts[2].length = kRootGrown;
  return TableOf(BaseDisk(), ImageSectors(out));
}

TEST_CASE("upstream: complex layout") {
  Layout in{
      2048,
      {{1, 131072, "p1", "316F19F9-9E0F-431E-859E-AE6908DBE8CA", "3ED3993F-0016-422B-B134-09FCBA6F66EF"},
       {2, 65536, "dont-delete", kT2, "26CC1E6A-39A2-4502-A957-28F8E0AC00E7"},
       {3, 65536, "garbo-town", "9DFDE6DB-A308-497B-9F8C-55DB12D4D9A1",
        "115EE54B-00BD-4AFE-BE9B-BF1912DEC92D"},
       {0, 131072},
       {4, 65536, "more-junk", "EE378F79-6B7A-4F7A-8029-7A5736D12BBF",
        "5E89FA40-183C-4346-B2E1-2F10FA2190E1"},
       {5, 65536, "dont-delete2", "9DD1A91A-A39A-4594-B431-60A7FB630BCB",
        "39BAF7EF-CB3E-4343-8BFC-C2391B8B5607"},
       {0, 131072}}};
  DiskTable table = TableOf(in, ImageSectors(in));
  auto disk = DiskOf({P(1).Label("p1")
                          .StartMiB(1)
                          .SizeMiB(32)
                          .Type("316f19f9-9e0f-431e-859e-ae6908dbe8ca")
                          .Guid("53f2e871-f468-437c-b90d-f3c6409df81a")
                          .Wipe(),
                      P(2).Label("dont-delete").SizeMiB(32),
                      P(3).Label("new-biggest")
                          .SizeMiB(0)
                          .StartMiB(0)
                          .Type("6050e8fc-1e31-473b-bcc0-714e32fcb09d")
                          .Guid("f14984bc-6f08-4885-b668-526263469a00")
                          .Wipe(),
                      P(4).ShouldExist(false).Wipe(), P(9).ShouldExist(false)});
  auto plan = Plan(disk, table);
  CHECK(Steps(plan) == V{"recreate 1 2048+65536", "keep 2 133120+65536", "recreate 3 198656+262144",
                         "delete 4 395264+65536", "absent 9"});
  CHECK(Summary(Apply(table, plan)) == V{"1 2048+65536 p1", "2 133120+65536 dont-delete",
                                         "3 198656+262144 new-biggest", "5 460800+65536 dont-delete2"});
}

TEST_CASE("upstream: create") {
  Layout out{2048, {{1, 65536}}};
  auto plan = Plan(DiskOf({P(1).SizeMiB(32)
                               .Label("create-partition")
                               .Type(kT0)
                               .Guid("05AE8178-224E-4744-862A-4F4B042662D0")}),
                   Disk1({2048, {}}, out));
  CHECK(Steps(plan) == V{"create 1 2048+65536"});
  CHECK(plan.partitions[0].guid == "05AE8178-224E-4744-862A-4F4B042662D0");
  CHECK(plan.partitions[0].type_guid == kT0);
  CHECK(plan.partitions[0].label == "create-partition");
}

TEST_CASE("upstream: create with startMiB") {
  Layout out{2048, {{1, 65536}}};
  auto plan = Plan(DiskOf({P(1).StartMiB(1).SizeMiB(32).Label("create-partition")}), Disk1({2048, {}}, out));
  CHECK(Steps(plan) == V{"create 1 2048+65536"});
}

TEST_CASE("upstream: create after wipeTable") {
  Layout in{2048, {{1, 65536, "important-data", kT0, kT0}, {2, 131072, "ephemeral-data", kT1, kT0}}};
  auto disk = DiskOf({P(1).Label("important-data").SizeMiB(32).Type(kT0).Guid(kG0),
                      P(2).Label("ephemeral-data").SizeMiB(64).Type(kT1).Guid(kG1)},
                     true);
  DiskTable table = Disk1(in, in);
  auto plan = Plan(disk, table);
  CHECK(plan.create_table);
  CHECK(Steps(plan) == V{"create 1 2048+65536", "create 2 67584+131072"});
  auto after = Apply(table, plan);
  REQUIRE(after.size() == 2);
  CHECK(after[0].guid == kG0);
  CHECK(after[1].guid == kG1);
}

TEST_CASE("upstream: append") {
  Layout in{2048, {{1, 65536, "important-data", kT0, kG0}, {2, 131072, "ephemeral-data", kT1, kT0}}};
  Layout out{2048, {{1, 65536}, {2, 131072}, {3, 65536}, {4, 65536}}};
  DiskTable table = Disk1(in, out);
  auto plan = Plan(DiskOf({P(3).Label("additional-partition").SizeMiB(32).Type(kT2).Guid(kG2),
                           P(4).Label("additional-partition2")
                               .SizeMiB(32)
                               .Type(kT2)
                               .Guid("accedd09-76c2-4363-9893-f5689a78c47f")}),
                   table);
  CHECK(Steps(plan) == V{"create 3 198656+65536", "create 4 264192+65536"});
  CHECK(Summary(Apply(table, plan)) == V{"1 2048+65536 important-data", "2 67584+131072 ephemeral-data",
                                         "3 198656+65536 additional-partition",
                                         "4 264192+65536 additional-partition2"});
}

TEST_CASE("upstream: resize root") {
  auto plan = Plan(DiskOf({P(9).Label("ROOT").SizeMiB(6352).Type(testing::kResizeType).Guid(kG2).Wipe()}),
                   Disk0Grown());
  CHECK(Steps(plan) == V{"recreate 9 528384+13008896"});
  CHECK(plan.partitions[0].guid == kG2);
}

TEST_CASE("upstream: resize existing partition") {
  auto plan = Plan(DiskOf({P(9).Label("ROOT").SizeMiB(6352).Resize()}), Disk0Grown());
  CHECK(Steps(plan) == V{"resize 9 528384+13008896"});
  CHECK(plan.partitions[0].guid == "99999999-9999-9999-9999-999999999999");
  CHECK(plan.partitions[0].type_guid == testing::kResizeType);
}

TEST_CASE("upstream: delete") {
  Layout in{2048, {{1, 65536, "deleteme"}}};
  DiskTable table = Disk1(in, in);
  auto plan = Plan(DiskOf({P(1).ShouldExist(false).Wipe()}), table);
  CHECK(Steps(plan) == V{"delete 1 2048+65536"});
  CHECK(Apply(table, plan).empty());
}

TEST_CASE("upstream: delete all") {
  DiskTable table = TableOf(BaseDisk(), ImageSectors(BaseDisk()));
  std::vector<schema::Partition> parts;
  for (int n : {1, 2, 3, 4, 6, 7, 9}) parts.push_back(P(n).ShouldExist(false).Wipe());
  auto plan = Plan(DiskOf(parts), table);
  CHECK(Steps(plan) == V{"delete 1 4096+262144", "absent 2", "absent 3", "absent 4", "delete 6 266240+262144",
                         "absent 7", "delete 9 528384+262144"});
  CHECK(Apply(table, plan).empty());
}

TEST_CASE("upstream: match + recreate + delete + add") {
  Layout in{2048,
            {{1, 65536, "important-data", kT0, kG0},
             {2, 65536, "ephemeral-data", kT1, kT0},
             {3, 131072, "bunch-of-junk", kT1, kT0}}};
  DiskTable table = Disk1(in, in);
  auto plan =
      Plan(DiskOf({P(1).Label("important-data").StartMiB(1).SizeMiB(32),
                   P(2).Label("ephemeral-data").StartMiB(33).SizeMiB(64).Wipe(),
                   P(3).ShouldExist(false).Wipe(), P(4).Label("even-more-data").StartMiB(97).SizeMiB(32)}),
           table);
  CHECK(Steps(plan) ==
        V{"keep 1 2048+65536", "recreate 2 67584+131072", "delete 3 133120+131072", "create 4 198656+65536"});
  CHECK(Summary(Apply(table, plan)) ==
        V{"1 2048+65536 important-data", "2 67584+131072 ephemeral-data", "4 198656+65536 even-more-data"});
}

TEST_CASE("upstream: match + recreate (nothing matches)") {
  Layout in{2048,
            {{1, 65536, "important-data", kT0, kG0},
             {2, 65536, "ephemeral-data", kT1, kT0},
             {3, 131072, "bunch-of-junk", kT1, kG1}}};
  DiskTable table = Disk1(in, in);
  auto plan = Plan(DiskOf({P(1).Label("important-data").StartMiB(1).SizeMiB(32).Wipe().Type(kT2),
                           P(2).Label("ephemeral-data").StartMiB(33).SizeMiB(32).Wipe().Guid(kG2),
                           P(3).Label("even-more-data").StartMiB(65).SizeMiB(32).Wipe()}),
                   table);
  CHECK(Steps(plan) == V{"recreate 1 2048+65536", "recreate 2 67584+65536", "recreate 3 133120+65536"});
  auto after = Apply(table, plan);
  CHECK(after[0].type_guid == kT2);
  CHECK(after[1].guid == kG2);
}

TEST_CASE("upstream: no-op on nonexistent") {
  auto base = Plan(DiskOf({P(10).ShouldExist(false), P(11).ShouldExist(false), P(999).ShouldExist(false)}),
                   TableOf(BaseDisk(), ImageSectors(BaseDisk())));
  CHECK(Steps(base) == V{"absent 10", "absent 11", "absent 999"});
  CHECK_FALSE(base.Changes());
  auto blank = Plan(DiskOf({P(1).ShouldExist(false), P(11).ShouldExist(false), P(999).ShouldExist(false)}),
                    Disk1({2048, {}}, {2048, {}}));
  CHECK_FALSE(blank.Changes());
  CHECK_FALSE(Plan(DiskOf({}), TableOf(BaseDisk(), ImageSectors(BaseDisk()))).Changes());
}

std::vector<schema::Partition> BaseDiskSpec(bool wipe) {
  return {P(1).Label("EFI-SYSTEM").StartMiB(2).SizeMiB(128).Type(testing::kEfiType).Wipe(wipe),
          P(6).Label("OEM").StartMiB(130).SizeMiB(128).Type(agent::kLinuxFilesystemType).Wipe(wipe),
          P(9).Label("ROOT").StartMiB(258).SizeMiB(128).Type(testing::kResizeType).Wipe(wipe)};
}

TEST_CASE("upstream: match all") {
  auto plan = Plan(DiskOf(BaseDiskSpec(false)), TableOf(BaseDisk(), ImageSectors(BaseDisk())));
  CHECK(Steps(plan) == V{"keep 1 4096+262144", "keep 6 266240+262144", "keep 9 528384+262144"});
  CHECK_FALSE(plan.Changes());
}

TEST_CASE("upstream: match all with wipe") {
  auto plan = Plan(DiskOf(BaseDiskSpec(true)), TableOf(BaseDisk(), ImageSectors(BaseDisk())));
  CHECK(Steps(plan) == V{"keep 1 4096+262144", "keep 6 266240+262144", "keep 9 528384+262144"});
  CHECK_FALSE(plan.Changes());
}

TEST_CASE("upstream: create with start and size 0") {
  auto plan = Plan(DiskOf({P(1).Label("fills-disk").StartMiB(0).SizeMiB(0).Type(kT2).Guid(kG2)}),
                   Disk1({2048, {}}, {2048, {{1, 65536}}}));
  CHECK(Steps(plan) == V{"create 1 2048+65536"});
}

TEST_CASE("upstream: number and size 0") {
  Layout out{2048, {{1, 65536}, {2, 65536}, {3, 65536}}};
  auto plan = Plan(DiskOf({P().Label("uno").SizeMiB(32).Type(kT2), P().Label("dos").SizeMiB(32).Type(kT2),
                           P().Label("tres").SizeMiB(0).Type(kT2)}),
                   Disk1({2048, {}}, out));
  CHECK(Steps(plan) == V{"create 1 2048+65536", "create 2 67584+65536", "create 3 133120+65536"});
}

TEST_CASE("upstream: resize root with zeros") {
  auto plan = Plan(DiskOf({P(9).Label("ROOT").StartMiB(0).SizeMiB(0).Type(testing::kResizeType).Wipe()}),
                   Disk0Grown());
  CHECK(Steps(plan) == V{"recreate 9 528384+13008896"});
}

TEST_CASE("upstream: root fills disk") {
  auto plan = Plan(DiskOf({P(9).Label("ROOT").StartMiB(0).SizeMiB(0).Type(testing::kResizeType)}),
                   TableOf(BaseDisk(), ImageSectors(BaseDisk())));
  CHECK(Steps(plan) == V{"keep 9 528384+262144"});
}

TEST_CASE("upstream: unspecified size/start matching") {
  Layout in = BaseDisk();
  in.parts.push_back({0, 65536});  // free space after ROOT
  auto plan = Plan(DiskOf({P(9).Label("ROOT").Type(testing::kResizeType)}), TableOf(in, ImageSectors(in)));
  CHECK(Steps(plan) == V{"keep 9 528384+262144"});
}

TEST_CASE("upstream: number 0") {
  Layout in{2048, {{1, 65536, "foobar", kT0, kG0}}};
  DiskTable table = Disk1(in, {2048, {{1, 65536}, {2, 65536}}});
  auto plan = Plan(DiskOf({P().Label("newpart").SizeMiB(32), P(1).Label("foobar")}), table);
  CHECK(Steps(plan) == V{"keep 1 2048+65536", "create 2 67584+65536"});
  CHECK(plan.partitions[1].field == "$.storage.disks.0.partitions.0");
}

// --- negative ---------------------------------------------------------------

DiskTable Base() { return TableOf(BaseDisk(), ImageSectors(BaseDisk())); }

TEST_CASE("upstream negative: delete without wipe") {
  CHECK_THROWS_WITH(Plan(DiskOf({P(9).ShouldExist(false)}), Base()),
                    "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): partition 9 exists but is "
                    "specified as nonexistent (shouldExist false) and wipePartitionEntry is false");
}

TEST_CASE("upstream negative: match fail") {
  const char* want =
      "partition 9 exists with size 262144 sectors but the config wants 4096; set resize to change its size "
      "in "
      "place, or wipePartitionEntry to recreate it";
  CHECK_THROWS_WITH(Plan(DiskOf({P(9).SizeMiB(2)}), Base()),
                    std::string("partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): ") + want);
  // ... also when another entry is absent as specified.
  CHECK_THROWS_WITH(Plan(DiskOf({P(10).ShouldExist(false), P(9).SizeMiB(2)}), Base()),
                    std::string("partitioning '/dev/vdb' (at $.storage.disks.0.partitions.1): ") + want);
}

TEST_CASE("upstream negative: partial match fail") {
  CHECK_THROWS_WITH(
      Plan(DiskOf({P(1), P(9).SizeMiB(2)}), Base()),
      Catch::StartsWith("partitioning '/dev/vdb' (at $.storage.disks.0.partitions.1): partition 9 "
                        "exists with size 262144 sectors but the config wants 4096"));
}

TEST_CASE("upstream negative: resize mismatch") {
  CHECK_THROWS_WITH(
      Plan(DiskOf({P(9).Label("root").SizeMiB(6352).Resize()}), Disk0Grown()),
      "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): partition 9 exists with size "
      "262144 sectors but the config wants 13008896, and with label \"ROOT\" but the config wants "
      "\"root\"; resize changes only the size, set wipePartitionEntry to recreate it");
}

// ROOT, then partition 10, then a larger free block: size 0 would have to
// fill that block, which does not contain ROOT's start.
TEST_CASE("upstream negative: fails to fill") {
  Layout in = BaseDisk();
  in.parts.push_back({10, 65536});
  in.parts.push_back({0, 1048576});
  CHECK_THROWS_WITH(
      Plan(DiskOf({P(9).SizeMiB(0)}), TableOf(in, ImageSectors(in))),
      "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): cannot place partition 9: with "
      "size 0 it would fill the largest free block (sectors 856064-1904639), which does not contain "
      "its start 528384");
}

// start 0 is the largest free block, which is not where ROOT starts.
TEST_CASE("upstream negative: fails to start") {
  Layout in = BaseDisk();
  in.parts.push_back({10, 65536});
  in.parts.push_back({0, 1048576});
  CHECK_THROWS_WITH(
      Plan(DiskOf({P(9).StartMiB(0)}), TableOf(in, ImageSectors(in))),
      "partitioning '/dev/vdb' (at $.storage.disks.0.partitions.0): partition 9 exists with start "
      "528384 sectors but the config wants 856064; set wipePartitionEntry to recreate it");
}

}  // namespace
}  // namespace flint::stages
