// Streaming gzip decompression with zlib, as Go's gzip.Reader (which
// upstream uses): concatenated members are one stream, anything else after a
// member is an error. Refuses to produce more than a limit, so a gzip bomb
// stops early instead of filling the disk or memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace flint::agent {

// Corrupt, truncated or oversized input; the message says which.
class GunzipError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Gunzip {
 public:
  using Output = std::function<void(std::string_view)>;

  explicit Gunzip(uint64_t limit);
  ~Gunzip();
  Gunzip(const Gunzip&) = delete;
  Gunzip& operator=(const Gunzip&) = delete;

  // Decompresses `in`, passing output to `out` in chunks. Throws GunzipError.
  void Write(std::string_view in, const Output& out);
  // The input is complete: throws GunzipError when it stopped mid-stream.
  void Finish();
  // Starts over (a retried download).
  void Reset();

  uint64_t produced() const { return produced_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint64_t limit_;
  uint64_t produced_ = 0;
};

}  // namespace flint::agent
