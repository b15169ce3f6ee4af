// The retry loop every network scheme shares: attempts until one succeeds,
// with jittered exponential backoff between them, each logged (what, attempt
// N, the error, the next try in Xs), within one deadline for the whole fetch
// (timeouts.httpTotal or -fetch-timeout, whichever is shorter).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

#include "agent/duration.h"
#include "agent/fetch/decoding_sink.h"

namespace flint::agent {

class Log;

// Why a fetch failed for good; the message is the cause for a Failure.
class FetchError : public std::runtime_error {
 public:
  enum class Kind { kNotFound, kFailed };
  FetchError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct RetryLimits {
  Nanoseconds total_timeout = 0;  // timeouts.httpTotal; 0: none
  Nanoseconds fetch_timeout = 0;  // -fetch-timeout; 0: none
};

struct AttemptResult {
  enum class Kind { kDone, kRetry, kDeadline };
  Kind kind = Kind::kDone;
  // kDone: "HTTP 200 OK, 1234 bytes"; kRetry: the error; kDeadline: what
  // the attempt was doing ("still connecting to h:443"), or "".
  std::string note;
  bool wrote = false;  // the sink received bytes
};

// Calls attempt(time_left) (time_left 0: no deadline) until it returns
// kDone; the sink is reset before a retry when the failed attempt wrote to
// it. Final failures are thrown by `attempt` (FetchError, ContentError);
// running out of time throws FetchError "gave up after N attempts within
// <setting> (<limit>)" with what the cut attempt was doing and the last
// error. `label` names the request in the log: "GET <url>".
void RetryWithBackoff(const std::string& label, const RetryLimits& limits, Log& log,
                      const std::function<double()>& random, DecodingSink& sink,
                      const std::function<AttemptResult(Nanoseconds time_left)>& attempt);

// "0.2s", "1.6s", "5s".
std::string ShortSeconds(Nanoseconds d);

}  // namespace flint::agent
