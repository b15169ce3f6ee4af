#include "agent/fetch/hash.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace flint::agent {

struct Hasher::Impl {
  const EVP_MD* md = nullptr;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
};

std::optional<ExpectedHash> ParseExpectedHash(std::string_view hash) {
  size_t dash = hash.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string algorithm(hash.substr(0, dash));
  size_t size = algorithm == "sha512" ? 64 : algorithm == "sha256" ? 32 : 0;
  std::string hex(hash.substr(dash + 1));
  if (size == 0 || hex.size() != size * 2) return std::nullopt;
  for (char& c : hex) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return ExpectedHash{algorithm, hex};
}

Hasher::Hasher(std::string_view algorithm) : impl_(std::make_unique<Impl>()) {
  impl_->md = algorithm == "sha512" ? EVP_sha512() : algorithm == "sha256" ? EVP_sha256() : nullptr;
  if (impl_->md == nullptr || !impl_->ctx) throw std::invalid_argument("unsupported hash " + std::string(algorithm));
  Reset();
}

Hasher::~Hasher() = default;

void Hasher::Reset() {
  if (EVP_DigestInit_ex(impl_->ctx.get(), impl_->md, nullptr) != 1) throw std::runtime_error("EVP_DigestInit_ex failed");
}

void Hasher::Update(std::string_view bytes) {
  if (EVP_DigestUpdate(impl_->ctx.get(), bytes.data(), bytes.size()) != 1)
    throw std::runtime_error("EVP_DigestUpdate failed");
}

std::string Hasher::HexDigest() {
  unsigned char sum[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx.get(), sum, &len) != 1) throw std::runtime_error("EVP_DigestFinal_ex failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[sum[i] >> 4];
    hex += kHex[sum[i] & 0xf];
  }
  Reset();
  return hex;
}

}  // namespace flint::agent
