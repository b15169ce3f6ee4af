#include "agent/fetch/decoding_sink.h"

namespace flint::agent {

DecodingSink::DecodingSink(ByteSink& out, std::string_view compression, std::string_view hash,
                           uint64_t max_decompressed)
    : out_(out) {
  if (compression == "gzip") {
    gunzip_ = std::make_unique<Gunzip>(max_decompressed);
  } else if (!compression.empty()) {
    throw ContentError("unsupported compression '" + std::string(compression) + "'");
  }
  if (!hash.empty()) {
    expected_ = ParseExpectedHash(hash);
    if (!expected_) throw ContentError("unsupported verification hash '" + std::string(hash) + "'");
    hasher_ = std::make_unique<Hasher>(expected_->algorithm);
  }
}

void DecodingSink::Decoded(std::string_view bytes) {
  if (hasher_) hasher_->Update(bytes);
  out_.Write(bytes);
}

void DecodingSink::Write(std::string_view raw) {
  raw_bytes_ += raw.size();
  if (!gunzip_) return Decoded(raw);
  try {
    gunzip_->Write(raw, [this](std::string_view bytes) { Decoded(bytes); });
  } catch (const GunzipError& e) {
    throw ContentError(e.what());
  }
}

void DecodingSink::Reset() {
  raw_bytes_ = 0;
  if (gunzip_) gunzip_->Reset();
  if (hasher_) hasher_->Reset();
  out_.Reset();
}

void DecodingSink::Finish() {
  if (gunzip_) {
    try {
      gunzip_->Finish();
    } catch (const GunzipError& e) {
      throw ContentError(e.what());
    }
  }
  if (!hasher_) return;
  std::string calculated = hasher_->HexDigest();
  if (calculated != expected_->hex) {
    throw ContentError("hash verification failed (calculated " + calculated + " but expected " + expected_->hex + ")");
  }
}

}  // namespace flint::agent
