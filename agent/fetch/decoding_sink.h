// The steps between the bytes a scheme receives and the caller's sink:
// gzip decompression when the resource asks for it, then the hash of the
// decompressed bytes, then the sink. Nothing is buffered beyond one chunk.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "agent/fetch/fetcher.h"
#include "agent/fetch/gunzip.h"
#include "agent/fetch/hash.h"

namespace flint::agent {

// The content is wrong (corrupt gzip, too large, hash mismatch): retrying
// the download would not help.
class ContentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DecodingSink {
 public:
  // `compression` is "" or "gzip"; `hash` is verification.hash (or empty).
  // Throws ContentError for an unsupported compression or hash.
  DecodingSink(ByteSink& out, std::string_view compression, std::string_view hash, uint64_t max_decompressed);

  // Raw (possibly compressed) bytes as they arrive. Throws ContentError, or
  // whatever the sink throws.
  void Write(std::string_view raw);
  // A retry starts over: drops the state and resets the sink.
  void Reset();
  // End of the input: checks that the gzip stream is complete and the hash
  // matches ("hash verification failed (calculated X but expected Y)").
  void Finish();

  uint64_t raw_bytes() const { return raw_bytes_; }

 private:
  void Decoded(std::string_view bytes);

  ByteSink& out_;
  std::unique_ptr<Gunzip> gunzip_;
  std::optional<ExpectedHash> expected_;
  std::unique_ptr<Hasher> hasher_;
  uint64_t raw_bytes_ = 0;
};

}  // namespace flint::agent
