#include "agent/fetch/gunzip.h"

#include <zlib.h>

#include <string>

namespace flint::agent {
namespace {

constexpr size_t kChunk = 256 * 1024;
constexpr int kGzipWindow = 16 + MAX_WBITS;  // gzip wrapper only, as Go's reader

std::string SizeText(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 30) && bytes % (uint64_t{1} << 30) == 0)
    return std::to_string(bytes >> 30) + " GiB";
  if (bytes >= (uint64_t{1} << 20) && bytes % (uint64_t{1} << 20) == 0)
    return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

struct Gunzip::Impl {
  z_stream z{};
  bool member_done = false;  // between members: more input must be a new member
  bool any_input = false;
  std::unique_ptr<unsigned char[]> buffer{new unsigned char[kChunk]};

  Impl() {
    if (inflateInit2(&z, kGzipWindow) != Z_OK) throw GunzipError("gzip: zlib initialisation failed");
  }
  ~Impl() { inflateEnd(&z); }
};

Gunzip::Gunzip(uint64_t limit) : impl_(std::make_unique<Impl>()), limit_(limit) {}
Gunzip::~Gunzip() = default;

void Gunzip::Reset() {
  inflateReset(&impl_->z);
  impl_->member_done = false;
  impl_->any_input = false;
  produced_ = 0;
}

void Gunzip::Write(std::string_view in, const Output& out) {
  z_stream& z = impl_->z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  if (!in.empty()) impl_->any_input = true;
  // Loop while there is input, or while inflate filled the whole buffer and
  // may hold more output.
  do {
    if (impl_->member_done && z.avail_in > 0) {
      // Another member follows (gzip allows concatenation).
      inflateReset(&z);
      impl_->member_done = false;
    }
    uInt before = z.avail_in;
    z.next_out = impl_->buffer.get();
    z.avail_out = kChunk;
    int rc = inflate(&z, Z_NO_FLUSH);
    size_t n = kChunk - z.avail_out;
    if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
      throw GunzipError(std::string("gzip: invalid data (") + (z.msg ? z.msg : "corrupt stream") + ")");
    }
    if (rc == Z_MEM_ERROR) throw GunzipError("gzip: out of memory");
    if (n > 0) {
      if (produced_ + n > limit_) {
        throw GunzipError("gzip: refusing to decompress more than " + SizeText(limit_) +
                          " (the data expands beyond the limit)");
      }
      produced_ += n;
      out(std::string_view(reinterpret_cast<const char*>(impl_->buffer.get()), n));
    }
    if (rc == Z_STREAM_END) impl_->member_done = true;
    if (n == 0 && z.avail_in == before) break;  // no progress: needs more input
  } while (z.avail_in > 0 || z.avail_out == 0);
}

void Gunzip::Finish() {
  if (!impl_->any_input) throw GunzipError("gzip: empty input (EOF)");
  if (!impl_->member_done) throw GunzipError("gzip: the compressed data ends early (unexpected EOF)");
}

}  // namespace flint::agent
