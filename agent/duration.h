// Go's time.Duration text form, as the -fetch-timeout flag takes it:
// "2m0s", "90s", "1h2m3.5s", "1.5ms", "-3us", "0". Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flint::agent {

// Nanoseconds, as Go's time.Duration.
using Nanoseconds = int64_t;

// Parses like Go's time.ParseDuration: an optional sign, then one or more
// decimal numbers each with a unit (ns, us, µs, μs, ms, s, m, h); a bare "0"
// is allowed. nullopt for anything Go rejects, including overflow.
std::optional<Nanoseconds> ParseGoDuration(std::string_view text);

// Formats like Go's Duration.String: "2m0s", "1h0m0s", "1.5s", "500µs", "0s".
std::string FormatGoDuration(Nanoseconds d);

}  // namespace flint::agent
