#include "stages/disks/gpt_allocator.h"

#include <string>

namespace flint::stages {
namespace {

// gdisk's SMALLEST_ADVANCED_FORMAT: below this many sectors (300 GB of 512-byte
// sectors) an alignment under 8 is accepted as found. Measured with sgdisk 1.0.9.
constexpr int64_t kSmallestAdvancedFormat = 585937500;
constexpr int64_t kMinAdvancedFormatAlignment = 8;

std::string Range(int64_t first, int64_t last) { return std::to_string(first) + "-" + std::to_string(last); }

}  // namespace

int64_t SgdiskAlignment(int64_t grain, int64_t total_sectors, const std::vector<int64_t>& starts) {
  int64_t align = 1;
  while (align * 2 <= grain) align *= 2;
  for (int64_t start : starts) {
    while (align > 1 && start % align != 0) align /= 2;
  }
  if (align < kMinAdvancedFormatAlignment && total_sectors >= kSmallestAdvancedFormat) {
    align = kMinAdvancedFormatAlignment;
  }
  return align;
}

GptAllocator::GptAllocator(int64_t first_usable, int64_t last_usable, int64_t alignment)
    : first_usable_(first_usable), last_usable_(last_usable), alignment_(alignment < 1 ? 1 : alignment) {}

void GptAllocator::Add(int64_t number, int64_t start, int64_t size) {
  parts_[number] = Extent{start, start + size - 1};
}

void GptAllocator::Remove(int64_t number) { parts_.erase(number); }

bool GptAllocator::IsFree(int64_t sector) const {
  if (sector < first_usable_ || sector > last_usable_) return false;
  for (const auto& [number, e] : parts_) {
    if (sector >= e.first && sector <= e.last) return false;
  }
  return true;
}

int64_t GptAllocator::FirstAvailable(int64_t from) const {
  int64_t first = from < first_usable_ ? first_usable_ : from;
  bool moved = true;
  while (moved) {
    moved = false;
    for (const auto& [number, e] : parts_) {
      if (first >= e.first && first <= e.last) {
        first = e.last + 1;
        moved = true;
      }
    }
  }
  return first > last_usable_ ? 0 : first;
}

int64_t GptAllocator::LastInFree(int64_t from) const {
  int64_t nearest = last_usable_;
  for (const auto& [number, e] : parts_) {
    if (nearest > e.first && e.first > from) nearest = e.first - 1;
  }
  return nearest;
}

// The first block wins ties, as in sgdisk (strictly larger replaces).
int64_t GptAllocator::FirstInLargest() const {
  int64_t best_first = 0;
  int64_t best_size = 0;
  for (int64_t from = 0;;) {
    int64_t first = FirstAvailable(from);
    if (first == 0) break;
    int64_t last = LastInFree(first);
    if (last - first + 1 > best_size) {
      best_size = last - first + 1;
      best_first = first;
    }
    from = last + 1;
  }
  return best_first;
}

// Moves `sector` to the aligned sector below it when every sector in between
// is free, else to the one above it on the same condition, else leaves it.
int64_t GptAllocator::Align(int64_t sector) const {
  if (sector % alignment_ == 0) return sector;
  int64_t earlier = sector / alignment_ * alignment_;
  int64_t later = earlier + alignment_;
  if (earlier >= first_usable_) {
    bool ok = true;
    for (int64_t s = earlier; ok && s < sector; ++s) ok = IsFree(s);
    if (ok) return earlier;
  }
  if (later <= last_usable_) {
    bool ok = true;
    for (int64_t s = later; ok && s > sector; --s) ok = IsFree(s);
    if (ok) return later;
  }
  return sector;
}

Placement GptAllocator::Create(int64_t number, int64_t start, int64_t size) {
  int64_t low = Align(FirstInLargest());
  int64_t high = LastInFree(low);
  int64_t requested = start != 0 ? start : low;
  int64_t end = size != 0 ? requested + size - 1 : high;
  Placement p;
  p.start = Align(requested);
  p.end = end;
  p.ok = IsFree(p.start) && p.start <= end && LastInFree(p.start) >= end;
  if (!p.ok) {
    p.problem = size == 0 && low != 0 && !(p.start >= low && p.start <= high)
                    ? "with size 0 it would fill the largest free block (sectors " + Range(low, high) +
                          "), which does not contain its start " + std::to_string(p.start)
                    : WhyNot(p.start, end);
    return p;
  }
  Add(number, p.start, p.size());
  return p;
}

std::string GptAllocator::WhyNot(int64_t start, int64_t end) const {
  std::string where = "sectors " + Range(start, end);
  if (start > end) return where + " are an empty range";
  if (start < first_usable_ || end > last_usable_) {
    return where + " are not all within the usable sectors " + Range(first_usable_, last_usable_);
  }
  for (const auto& [number, e] : parts_) {
    if (e.first <= end && e.last >= start) {
      return where + " overlap partition " + std::to_string(number) + " (sectors " + Range(e.first, e.last) +
             ")";
    }
  }
  return where + " are not free";
}

}  // namespace flint::stages
