// JSON string literals: strict checking (UTF-8 per RFC 3629, escapes,
// surrogate pairs) and decoding. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace flint::schema {

struct StringScan {
  bool ok = false;
  size_t length = 0;         // ok: bytes of the body, up to the closing quote
  bool has_escapes = false;  // ok: the body needs DecodeJsonString's slow path
  size_t error_offset = 0;   // !ok: where in `rest` the problem is
  std::string error;         // !ok: what it is; never quotes the input
};

// Checks the string literal whose body starts at `rest` (just after the
// opening quote) and finds its closing quote.
StringScan ScanJsonString(std::string_view rest);

// The value of a body that ScanJsonString accepted; allocates exactly once.
std::string DecodeJsonString(std::string_view body, bool has_escapes);

}  // namespace flint::schema
