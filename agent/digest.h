// Digests and encodings of fetched bytes (OpenSSL): the SHA-512 recorded for
// every fetched config, and the base64 that inlines certificate authorities
// into the config cache.
#pragma once

#include <string>
#include <string_view>

namespace flint::agent {

// Lower-case hex SHA-512 of `bytes`.
std::string Sha512Hex(std::string_view bytes);

// Standard base64 with padding, without line breaks.
std::string EncodeBase64(std::string_view bytes);

}  // namespace flint::agent
