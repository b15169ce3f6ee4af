#include "stages/disks/gpt_allocator.h"

#include <catch2/catch.hpp>

namespace flint::stages {
namespace {

// A 100 MiB disk with a fresh sgdisk GPT: sectors 34-204766 usable.
GptAllocator Blank() { return GptAllocator(34, 204766, 2048); }

TEST_CASE("SgdiskAlignment starts from the 1 MiB grain") {
  CHECK(SgdiskAlignment(2048, 204800, {}) == 2048);
  CHECK(SgdiskAlignment(256, 25600, {}) == 256);  // 4096-byte sectors
  CHECK(SgdiskAlignment(2048, 204800, {2048, 67584}) == 2048);
}

TEST_CASE("SgdiskAlignment drops to the largest power of two dividing every start") {
  CHECK(SgdiskAlignment(2048, 204800, {4096, 1024}) == 1024);
  CHECK(SgdiskAlignment(2048, 204800, {34}) == 2);
  CHECK(SgdiskAlignment(2048, 204800, {2048, 35}) == 1);
}

TEST_CASE("SgdiskAlignment keeps 8 sectors on disks of 300 GB and more") {
  CHECK(SgdiskAlignment(2048, 585937499, {34}) == 2);
  CHECK(SgdiskAlignment(2048, 585937500, {34}) == 8);
}

TEST_CASE("a default start is the aligned first sector of the largest free block") {
  GptAllocator a = Blank();
  Placement p = a.Create(1, 0, 65536);
  REQUIRE(p.ok);
  CHECK(p.start == 2048);
  CHECK(p.end == 67583);
  CHECK(a.Has(1));
}

TEST_CASE("size 0 runs to the end of the largest free block, unaligned") {
  GptAllocator a = Blank();
  Placement p = a.Create(1, 0, 0);
  REQUIRE(p.ok);
  CHECK(p.start == 2048);
  CHECK(p.end == 204766);
}

TEST_CASE("an unaligned start moves down when the sectors below are free, keeping the end") {
  GptAllocator a = Blank();
  Placement p = a.Create(1, 4097, 65536);
  REQUIRE(p.ok);
  CHECK(p.start == 4096);
  CHECK(p.size() == 65537);
}

TEST_CASE("an unaligned start moves up when the sectors below are taken") {
  GptAllocator a = Blank();
  a.Add(1, 2048, 952);  // 2048-2999
  Placement p = a.Create(2, 3000, 10000);
  REQUIRE(p.ok);
  CHECK(p.start == 4096);
  CHECK(p.end == 12999);
}

TEST_CASE("the first sectors are used when they are the only free block") {
  GptAllocator a = Blank();
  a.Add(1, 2048, 202719);  // 2048-204766
  Placement p = a.Create(2, 0, 0);
  REQUIRE(p.ok);
  CHECK(p.start == 34);
  CHECK(p.end == 2047);
}

TEST_CASE("of two equal free blocks the first is the largest") {
  GptAllocator a(34, 30000, 1);
  a.Add(1, 34, 966);      // free 1000-9999
  a.Add(2, 10000, 1000);  // free 11000-19999
  a.Add(3, 20000, 10001);
  Placement p = a.Create(4, 0, 0);
  REQUIRE(p.ok);
  CHECK(p.start == 1000);
  CHECK(p.end == 9999);
}

TEST_CASE("a partition that does not fit says what is in the way") {
  GptAllocator a = Blank();
  a.Add(1, 2048, 65536);
  Placement p = a.Create(2, 4096, 100);
  CHECK_FALSE(p.ok);
  CHECK(p.problem == "sectors 4096-4195 overlap partition 1 (sectors 2048-67583)");
  CHECK_FALSE(a.Has(2));
  Placement past = a.Create(3, 200000, 10000);
  CHECK_FALSE(past.ok);
  CHECK(past.problem == "sectors 198656-209999 are not all within the usable sectors 34-204766");
}

TEST_CASE("size 0 fails when the start is outside the largest free block") {
  GptAllocator a(34, 2000000, 2048);
  a.Add(10, 790528, 65536);  // free before: 2048-790527; after: 856064-2000000 (larger)
  Placement p = a.Create(9, 528384, 0);
  CHECK_FALSE(p.ok);
  CHECK(p.problem ==
        "with size 0 it would fill the largest free block (sectors 856064-2000000), which does not contain "
        "its start 528384");
}

TEST_CASE("a full disk has no default start") {
  GptAllocator a(34, 2047, 2048);
  a.Add(1, 34, 2014);
  Placement p = a.Create(2, 0, 0);
  CHECK_FALSE(p.ok);
}

}  // namespace
}  // namespace flint::stages
