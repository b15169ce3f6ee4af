// verification.hash: parsing "sha512-<hex>" / "sha256-<hex>" and computing
// the digest of a stream with OpenSSL's EVP interface.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace flint::agent {

struct ExpectedHash {
  std::string algorithm;  // "sha512" or "sha256"
  std::string hex;        // lower-case
};

// nullopt for anything but sha512/sha256 with a hex sum of the right length
// (validation rejects those before a fetch). Pure.
std::optional<ExpectedHash> ParseExpectedHash(std::string_view hash);

// A running digest; the algorithm must be "sha512" or "sha256".
class Hasher {
 public:
  explicit Hasher(std::string_view algorithm);
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void Update(std::string_view bytes);
  // The lower-case hex digest of everything since the last Reset.
  std::string HexDigest();
  void Reset();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace flint::agent
