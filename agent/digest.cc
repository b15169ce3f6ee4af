#include "agent/digest.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace flint::agent {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

std::string Sha512Hex(std::string_view bytes) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha512(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1) {
    throw std::runtime_error("OpenSSL SHA-512 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out;
  // EVP_EncodeBlock takes an int length; encode in chunks of whole triples.
  constexpr size_t kChunk = 3 * (1 << 20);
  for (size_t off = 0; off < bytes.size(); off += kChunk) {
    size_t n = std::min(kChunk, bytes.size() - off);
    std::string block(4 * ((n + 2) / 3) + 1, '\0');
    int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(block.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data() + off), static_cast<int>(n));
    out.append(block.data(), static_cast<size_t>(written));
  }
  return out;
}

}  // namespace flint::agent
