// Preparing malloc's heap for parsing a big input (a config of megabytes):
// one step of heap growth, backed by transparent huge pages where the kernel
// allows them (THP "madvise" mode), so that the parse's allocations take a
// handful of page faults instead of one per 4 KiB page. Page faults were
// half the CPU time of `flint validate` on a 5.7 MB config (bench/README.md).
#pragma once

#include <cstddef>

namespace flint::agent {

// Grows the heap by about `bytes` now (virtual memory: it is touched only
// as it is used) and keeps it until exit. Best effort: any failure just
// leaves malloc as it was.
void ReserveHeap(size_t bytes);

}  // namespace flint::agent
