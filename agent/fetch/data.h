// data: sources (RFC 2397), decoded by the same Go-compatible code that
// validates them.
#pragma once

#include <string_view>

#include "agent/fetch/decoding_sink.h"

namespace flint::agent {

// Writes the decoded bytes through `sink` (gzip and hash apply) and
// finishes it. Throws FetchError with the decoder's message when malformed.
void FetchDataUrl(std::string_view url, DecodingSink& sink);

}  // namespace flint::agent
