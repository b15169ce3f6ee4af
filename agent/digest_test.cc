#include "agent/digest.h"

#include <catch2/catch.hpp>

#include "schema/data_url.h"

namespace flint::agent {
namespace {

TEST_CASE("digest: SHA-512 of known inputs", "[digest]") {
  CHECK(Sha512Hex("") ==
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a"
        "81a538327af927da3e");
  CHECK(Sha512Hex("abc") ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce8"
        "0e2a9ac94fa54ca49f");
}

TEST_CASE("digest: base64 round-trips through the data URL decoder", "[digest]") {
  CHECK(EncodeBase64("") == "");
  CHECK(EncodeBase64("f") == "Zg==");
  CHECK(EncodeBase64("fo") == "Zm8=");
  CHECK(EncodeBase64("foo") == "Zm9v");
  CHECK(EncodeBase64("-----BEGIN CERTIFICATE-----\n") == "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==");
  std::string binary;
  for (int i = 0; i < 7000000; ++i) binary += static_cast<char>((i * 7) & 0xff);
  std::string encoded = EncodeBase64(binary);
  CHECK(encoded.find('\n') == std::string::npos);
  CHECK(schema::DecodeStdBase64(encoded) == binary);
}

}  // namespace
}  // namespace flint::agent
