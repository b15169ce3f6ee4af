#include "agent/fetch/backoff.h"

#include <algorithm>

namespace flint::agent {

Nanoseconds BackoffCeiling(int attempt) {
  Nanoseconds d = kFirstBackoff;
  for (int i = 1; i < attempt && d < kMaxBackoff; ++i) d *= 2;
  return std::min(d, kMaxBackoff);
}

Nanoseconds BackoffDelay(int attempt, double unit_random) {
  Nanoseconds ceiling = BackoffCeiling(attempt);
  double r = std::clamp(unit_random, 0.0, 1.0);
  Nanoseconds half = ceiling / 2;
  return half + static_cast<Nanoseconds>(static_cast<double>(ceiling - half) * r);
}

}  // namespace flint::agent
