// Checking `data:` URLs (RFC 2397) exactly as upstream Ignition does, with
// the error texts of the Go library it uses (vincent-petithory/dataurl) and of
// Go's base64 decoder. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flint::schema {

// Nothing when `url` decodes, else the decoder's error message
// ("missing comma before data", "illegal base64 data at input byte 4", ...).
std::optional<std::string> DataUrlError(std::string_view url);

}  // namespace flint::schema
