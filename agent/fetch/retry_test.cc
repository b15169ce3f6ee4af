#include "agent/fetch/retry.h"

#include <catch2/catch.hpp>

#include "agent/fetch/fetcher.h"
#include "agent/log.h"

namespace flint::agent {
namespace {

struct Loop {
  CapturingSink log_sink;
  Log log{log_sink};
  StringSink out;
  DecodingSink sink{out, "", "", 1 << 20};
};

TEST_CASE("retry: failures are logged with the next try, and a dirty sink is reset", "[retry]") {
  Loop l;
  int calls = 0;
  RetryWithBackoff("GET http://h/x", {}, l.log, [] { return 0.0; }, l.sink, [&](Nanoseconds time_left) {
    CHECK(time_left == 0);
    ++calls;
    CHECK(l.out.bytes().empty());  // reset before every retry
    l.sink.Write("partial");
    AttemptResult r;
    r.wrote = true;
    if (calls < 3) {
      r.kind = AttemptResult::Kind::kRetry;
      r.note = "the server answered HTTP 500 Internal Server Error";
    } else {
      r.note = "HTTP 200 OK, 7 bytes";
    }
    return r;
  });
  CHECK(calls == 3);
  CHECK(l.out.bytes() == "partial");
  std::string log = l.log_sink.Text();
  CHECK(log.find("INFO: GET http://h/x: attempt #1\nWARNING: GET http://h/x: attempt #1 failed: the server answered "
                 "HTTP 500 Internal Server Error; next try in 0.1s\nINFO: GET http://h/x: attempt #2\nWARNING: GET "
                 "http://h/x: attempt #2 failed: the server answered HTTP 500 Internal Server Error; next try in "
                 "0.2s\nINFO: GET http://h/x: attempt #3\nINFO: GET http://h/x: HTTP 200 OK, 7 bytes in ") == 0);
}

TEST_CASE("retry: the deadline names its setting and the last error", "[retry]") {
  Loop l;
  int calls = 0;
  auto fail = [&](Nanoseconds time_left) {
    CHECK(time_left > 0);
    ++calls;
    AttemptResult r;
    r.kind = AttemptResult::Kind::kRetry;
    r.note = "connection refused by 10.0.0.1:22623";
    return r;
  };
  CHECK_THROWS_WITH(RetryWithBackoff("GET u", {300'000'000, 0}, l.log, [] { return 0.0; }, l.sink, fail),
                    "gave up after 2 attempts within timeouts.httpTotal (300ms); last error: connection refused by "
                    "10.0.0.1:22623");
  CHECK(calls == 2);  // 0.1 s, then 0.2 s would pass 0.3 s
  CHECK_THROWS_WITH(RetryWithBackoff("GET u", {10'000'000'000, 250'000'000}, l.log, [] { return 0.0; }, l.sink, fail),
                    Catch::StartsWith("gave up after 2 attempts within -fetch-timeout (250ms)"));
  auto deadline = [](Nanoseconds) {
    AttemptResult r;
    r.kind = AttemptResult::Kind::kDeadline;
    return r;
  };
  CHECK_THROWS_WITH(RetryWithBackoff("GET u", {1'000'000'000, 0}, l.log, [] { return 0.5; }, l.sink, deadline),
                    "gave up after 1 attempt within timeouts.httpTotal (1s)");
  // The attempt the deadline cut short says what it was doing, and the
  // error of the one before is kept.
  int n = 0;
  auto refused_then_slow = [&](Nanoseconds) {
    AttemptResult r;
    r.kind = ++n == 1 ? AttemptResult::Kind::kRetry : AttemptResult::Kind::kDeadline;
    r.note = n == 1 ? "connection refused by 10.0.0.1:22623" : "still connecting to 10.0.0.1:22623";
    return r;
  };
  CHECK_THROWS_WITH(
      RetryWithBackoff("GET u", {0, 2'000'000'000}, l.log, [] { return 0.0; }, l.sink, refused_then_slow),
      "gave up after 2 attempts within -fetch-timeout (2s): attempt #2 was still connecting to 10.0.0.1:22623; the "
      "error before: connection refused by 10.0.0.1:22623");
}

TEST_CASE("retry: short durations for the console", "[retry]") {
  CHECK(ShortSeconds(200'000'000) == "0.2s");
  CHECK(ShortSeconds(1'649'000'000) == "1.6s");
  CHECK(ShortSeconds(5'000'000'000) == "5s");
  CHECK(ShortSeconds(0) == "0s");
}

}  // namespace
}  // namespace flint::agent
