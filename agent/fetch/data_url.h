// RFC 2397 data URLs: `data:[<mediatype>][;base64],<data>`. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flint::agent {

// True when `url` starts with the `data:` scheme (case-insensitive).
bool IsDataUrl(std::string_view url);

// The bytes of a data URL: percent-decoded, then base64-decoded when the
// media type ends in `;base64`. nullopt when it is malformed.
std::optional<std::string> DecodeDataUrl(std::string_view url);

// Standard base64 with padding; CR and LF are skipped (as Go's decoder
// does). nullopt on any other invalid input.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace flint::agent
