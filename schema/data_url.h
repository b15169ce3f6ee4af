// Checking and decoding `data:` URLs (RFC 2397) exactly as upstream Ignition
// does, with the error texts of the Go library it uses
// (vincent-petithory/dataurl) and of Go's base64 decoder. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flint::schema {

// Nothing when `url` decodes, else the decoder's error message
// ("missing comma before data", "illegal base64 data at input byte 4", ...).
std::optional<std::string> DataUrlError(std::string_view url);

// True when `url` has the `data:` scheme (in any case).
bool IsDataUrl(std::string_view url);

struct DecodedDataUrl {
  std::optional<std::string> bytes;  // nullopt when malformed
  std::string error;                 // then: DataUrlError's message
};

// The bytes of a data URL: base64-decoded with `;base64`, else
// percent-decoded (RFC 2396; '+' stays '+'). The scheme may be in any case,
// as upstream decodes the URL after Go lower-cased it.
DecodedDataUrl DecodeDataUrl(std::string_view url);

// Go's base64.StdEncoding.DecodeString: padded standard base64, CR and LF
// ignored; nullopt on invalid input.
std::optional<std::string> DecodeStdBase64(std::string_view text);

}  // namespace flint::schema
