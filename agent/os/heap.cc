#include "agent/os/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace flint::agent {

void ReserveHeap(size_t bytes) {
  constexpr size_t kHugePage = 2 << 20;
  constexpr size_t kMaxMmapThreshold = 32 << 20;  // glibc's limit on 64-bit
  if (bytes < kHugePage) return;
  // Blocks up to 32 MiB come from the heap (not from mmap calls of their
  // own, each faulted page by page), and the heap is not trimmed back.
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMaxMmapThreshold));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(std::min<size_t>(bytes + 2 * kHugePage, INT32_MAX)));
  // The next growth takes `bytes` at once; malloc'ing and freeing a block
  // forces it.
  mallopt(M_TOP_PAD, static_cast<int>(std::min<size_t>(bytes, INT32_MAX)));
  auto* before = static_cast<char*>(sbrk(0));
  void* probe = std::malloc(kHugePage);
  asm volatile("" : : "r"(probe) : "memory");  // not elided with the free below
  auto* after = static_cast<char*>(sbrk(0));
  std::free(probe);
  mallopt(M_TOP_PAD, 128 * 1024);  // glibc's default for later growth
  if (before == reinterpret_cast<char*>(-1) || after <= before) return;
  uintptr_t start = (reinterpret_cast<uintptr_t>(before) + kHugePage - 1) / kHugePage * kHugePage;
  uintptr_t end = reinterpret_cast<uintptr_t>(after) / kHugePage * kHugePage;
  if (end > start) ::madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
}

}  // namespace flint::agent
