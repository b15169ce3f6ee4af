#include "agent/fetch/backoff.h"

#include <catch2/catch.hpp>

namespace flint::agent {
namespace {

constexpr Nanoseconds kMs = 1'000'000;

TEST_CASE("backoff: the ceiling doubles from 200 ms and stops at 5 s", "[backoff]") {
  CHECK(BackoffCeiling(1) == 200 * kMs);
  CHECK(BackoffCeiling(2) == 400 * kMs);
  CHECK(BackoffCeiling(3) == 800 * kMs);
  CHECK(BackoffCeiling(4) == 1600 * kMs);
  CHECK(BackoffCeiling(5) == 3200 * kMs);
  CHECK(BackoffCeiling(6) == 5000 * kMs);
  CHECK(BackoffCeiling(7) == 5000 * kMs);
  CHECK(BackoffCeiling(1000) == 5000 * kMs);
  CHECK(BackoffCeiling(0) == 200 * kMs);
}

TEST_CASE("backoff: jitter spreads the wait over the upper half of the ceiling", "[backoff]") {
  CHECK(BackoffDelay(1, 0.0) == 100 * kMs);
  CHECK(BackoffDelay(1, 0.5) == 150 * kMs);
  CHECK(BackoffDelay(1, 0.999999) < 200 * kMs);
  CHECK(BackoffDelay(1, 0.999999) > 199 * kMs);
  CHECK(BackoffDelay(3, 0.25) == 500 * kMs);
  CHECK(BackoffDelay(9, 0.0) == 2500 * kMs);
  CHECK(BackoffDelay(9, 0.5) == 3750 * kMs);
  // Out-of-range random values are clamped.
  CHECK(BackoffDelay(2, -1.0) == 200 * kMs);
  CHECK(BackoffDelay(2, 7.0) == 400 * kMs);
}

TEST_CASE("backoff: two nodes with different random draws do not retry in lockstep", "[backoff]") {
  Nanoseconds a = 0;
  Nanoseconds b = 0;
  for (int attempt = 1; attempt <= 10; ++attempt) {
    a += BackoffDelay(attempt, 0.1);
    b += BackoffDelay(attempt, 0.9);
  }
  CHECK(b - a > 12400 * kMs);  // 0.4 of the 31.2 s of ceilings
  CHECK(b - a < 12500 * kMs);
}

}  // namespace
}  // namespace flint::agent
