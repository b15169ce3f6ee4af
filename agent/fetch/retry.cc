#include "agent/fetch/retry.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include "agent/fetch/backoff.h"
#include "agent/log.h"

namespace flint::agent {
namespace {

using Clock = std::chrono::steady_clock;

Nanoseconds Since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t).count();
}

// The deadline of the whole fetch and the setting that sets it.
struct Deadline {
  Nanoseconds limit = 0;  // 0: none
  std::string name;
};

Deadline WholeFetchDeadline(const RetryLimits& l) {
  Deadline d;
  if (l.total_timeout > 0) d = {l.total_timeout, "timeouts.httpTotal"};
  if (l.fetch_timeout > 0 && (d.limit == 0 || l.fetch_timeout < d.limit)) d = {l.fetch_timeout, "-fetch-timeout"};
  return d;
}

// `cut_short`: what the attempt the deadline ended was doing, if any.
std::string GaveUp(int attempts, const Deadline& deadline, const std::string& last_error,
                   const std::string& cut_short = "") {
  std::string text = "gave up after " + std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts") +
                     " within " + deadline.name + " (" + FormatGoDuration(deadline.limit) + ")";
  if (!cut_short.empty()) {
    text += ": attempt #" + std::to_string(attempts) + " was " + cut_short;
    return last_error.empty() ? text : text + "; the error before: " + last_error;
  }
  return last_error.empty() ? text : text + "; last error: " + last_error;
}

}  // namespace

std::string ShortSeconds(Nanoseconds d) {
  long tenths = static_cast<long>((d + 50'000'000) / 100'000'000);
  char buf[32];
  if (tenths % 10 == 0) {
    std::snprintf(buf, sizeof buf, "%lds", tenths / 10);
  } else {
    std::snprintf(buf, sizeof buf, "%ld.%lds", tenths / 10, tenths % 10);
  }
  return buf;
}

void RetryWithBackoff(const std::string& label, const RetryLimits& limits, Log& log,
                      const std::function<double()>& random, DecodingSink& sink,
                      const std::function<AttemptResult(Nanoseconds time_left)>& attempt) {
  const Clock::time_point start = Clock::now();
  const Deadline deadline = WholeFetchDeadline(limits);
  std::string last_error;
  bool dirty = false;
  for (int n = 1;; ++n) {
    Nanoseconds time_left = 0;
    if (deadline.limit > 0) time_left = std::max<Nanoseconds>(deadline.limit - Since(start), 1'000'000);
    if (dirty) sink.Reset();
    log.Info(label + ": attempt #" + std::to_string(n));
    AttemptResult r = attempt(time_left);
    dirty = r.wrote;
    switch (r.kind) {
      case AttemptResult::Kind::kDone:
        log.Info(label + ": " + r.note + " in " + ShortSeconds(Since(start)));
        return;
      case AttemptResult::Kind::kDeadline:
        throw FetchError(FetchError::Kind::kFailed, GaveUp(n, deadline, last_error, r.note));
      case AttemptResult::Kind::kRetry:
        break;
    }
    last_error = r.note;
    Nanoseconds delay = BackoffDelay(n, random());
    if (deadline.limit > 0 && Since(start) + delay >= deadline.limit) {
      throw FetchError(FetchError::Kind::kFailed, GaveUp(n, deadline, last_error));
    }
    log.Warning(label + ": attempt #" + std::to_string(n) + " failed: " + r.note + "; next try in " +
                ShortSeconds(delay));
    std::this_thread::sleep_for(std::chrono::nanoseconds(delay));
  }
}

}  // namespace flint::agent
