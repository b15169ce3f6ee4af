#include "agent/os/disk_layout.h"

#include <catch2/catch.hpp>

namespace flint::agent {
namespace {

DiskTable Table(std::vector<TablePartition> parts) {
  DiskTable t;
  t.label_type = "gpt";
  t.first_usable = 34;
  t.last_usable = 204766;
  t.partitions = std::move(parts);
  return t;
}

TEST_CASE("disk layout: a fresh GPT's usable range, as sgdisk's") {
  CHECK(FreshGptFirstUsable(512) == 34);
  CHECK(FreshGptLastUsable(512, 204800) == 204766);
  CHECK(FreshGptFirstUsable(4096) == 6);
  CHECK(FreshGptLastUsable(4096, 25600) == 25594);
}

TEST_CASE("disk layout: overlapping and out-of-range partitions are named") {
  CHECK(LayoutProblem(Table({{1, 34, 100, "", "", ""}, {2, 134, 204633, "", "", ""}})).empty());
  CHECK(LayoutProblem(Table({{1, 2048, 100, "", "", ""}, {3, 2147, 10, "", "", ""}})) ==
        "partition 1 (sectors 2048-2147) and partition 3 (sectors 2147-2156) overlap");
  CHECK(LayoutProblem(Table({{1, 204000, 767, "", "", ""}})).empty());
  CHECK(LayoutProblem(Table({{1, 204000, 768, "", "", ""}})) ==
        "partition 1 (sectors 204000-204767) is outside the usable sectors 34-204766");
  CHECK(LayoutProblem(Table({{1, 33, 10, "", "", ""}})) ==
        "partition 1 (sectors 33-42) is outside the usable sectors 34-204766");
}

TEST_CASE("disk layout: a plan changes something unless it only keeps or finds absent") {
  PartitionPlan plan;
  plan.partitions = {{PartitionAction::kKeep, "", 1, 34, 1, "", "", ""},
                     {PartitionAction::kAbsent, "", 2, 0, 0, "", "", ""}};
  CHECK_FALSE(plan.Changes());
  plan.partitions.push_back({PartitionAction::kResize, "", 3, 34, 1, "", "", ""});
  CHECK(plan.Changes());
  CHECK(std::string(PartitionActionName(PartitionAction::kRecreate)) == "recreate");
  PartitionPlan wipe;
  wipe.wipe_table = true;
  CHECK(wipe.Changes());
}

}  // namespace
}  // namespace flint::agent
