// Naming and recording the configs flint fetches. URLs appear in logs and in
// the state file as RedactUrl leaves them (agent/fetch/redact.h: no data URL
// contents, user info or credentials in the query). Every fetched config is recorded in the state
// (kind, source, referenced, SHA-512 of its bytes) and in the journal with
// upstream's message id and fields — never its contents.
#pragma once

#include <string>
#include <string_view>

#include "agent/fetch/redact.h"
#include "agent/log.h"
#include "agent/state.h"

namespace flint::agent {

// For messages: "a data URL" or the quoted redacted URL ("'https://h/c'"). Pure.
std::string DescribeSource(std::string_view url);

// upstream's journal MESSAGE_ID for fetched configs.
inline constexpr const char* kFetchedConfigMessageId = "57124006b5c94805b77ce473e92a8aeb";

// Records a fetched config: `source` is a provider name ("cmdline",
// "system", a platform) or a URL (stored redacted); `bytes` are hashed.
// Logs `fetched [referenced ]KIND config from "SOURCE" (SHA-512 HEX)` with
// IGNITION_CONFIG_TYPE/SRC/REFERENCED and FLINT_CONFIG_SHA512 fields.
void RecordFetchedConfig(State& state, Log& log, std::string kind, std::string_view source, bool referenced,
                         std::string_view bytes);

}  // namespace flint::agent
