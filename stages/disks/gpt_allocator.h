// An in-memory GPT layout that places new partitions exactly as sgdisk 1.0.9
// does for `--new=N:START:+SIZE` (0 meaning "default"), so that flint resolves
// startMiB/sizeMiB 0 to the sectors upstream Ignition gets from
// `sgdisk --pretend`. Pure: no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace flint::stages {

// The alignment sgdisk uses on a disk with these partition starts: `grain`
// (1 MiB in sectors) lowered to the largest power of two dividing every
// start, but never below 8 sectors on disks of 300 GB or more.
int64_t SgdiskAlignment(int64_t grain, int64_t total_sectors, const std::vector<int64_t>& starts);

// Where a new partition went, or why it could not be placed.
struct Placement {
  bool ok = false;
  int64_t start = 0;    // first sector (after alignment)
  int64_t end = 0;      // last sector
  std::string problem;  // when !ok: what is in the way, in words
  int64_t size() const { return end - start + 1; }
};

class GptAllocator {
 public:
  GptAllocator(int64_t first_usable, int64_t last_usable, int64_t alignment);

  // Records an existing partition as is (no checks), or forgets one.
  void Add(int64_t number, int64_t start, int64_t size);
  void Remove(int64_t number);
  bool Has(int64_t number) const { return parts_.count(number) > 0; }

  // Creates partition `number` as `sgdisk --new=number:start:+size` would:
  // start 0 is the (aligned) first sector of the largest free block, size 0
  // runs to the end of that block; a start is aligned when the sectors it
  // moves over are free. On success the partition is recorded.
  Placement Create(int64_t number, int64_t start, int64_t size);

 private:
  struct Extent {
    int64_t first;
    int64_t last;
  };
  bool IsFree(int64_t sector) const;
  int64_t FirstAvailable(int64_t from) const;  // 0 when none
  int64_t LastInFree(int64_t from) const;
  int64_t FirstInLargest() const;  // 0 when the disk is full
  int64_t Align(int64_t sector) const;
  std::string WhyNot(int64_t start, int64_t end) const;

  int64_t first_usable_;
  int64_t last_usable_;
  int64_t alignment_;
  std::map<int64_t, Extent> parts_;  // by partition number
};

}  // namespace flint::stages
