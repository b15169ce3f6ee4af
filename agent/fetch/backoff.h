// How long to wait before retrying a failed fetch attempt: exponential
// backoff from 200 ms doubling to 5 s, with jitter so that a thousand nodes
// rebooting together do not hammer one server in lockstep. Pure.
#pragma once

#include "agent/duration.h"

namespace flint::agent {

inline constexpr Nanoseconds kFirstBackoff = 200'000'000;  // 200 ms
inline constexpr Nanoseconds kMaxBackoff = 5'000'000'000;  // 5 s

// The ceiling for the wait after failed attempt `attempt` (1, 2, ...):
// 200 ms, 400 ms, 800 ms, ... capped at 5 s.
Nanoseconds BackoffCeiling(int attempt);

// The wait after failed attempt `attempt`: uniformly spread over the upper
// half of the ceiling ("equal jitter": never less than half, so the backoff
// still grows), chosen by `unit_random` in [0, 1).
Nanoseconds BackoffDelay(int attempt, double unit_random);

}  // namespace flint::agent
