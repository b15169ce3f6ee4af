#include "agent/duration.h"

#include <catch2/catch.hpp>
#include <cstdint>

namespace flint::agent {
namespace {

constexpr Nanoseconds kUs = 1000;
constexpr Nanoseconds kMs = 1000 * kUs;
constexpr Nanoseconds kS = 1000 * kMs;
constexpr Nanoseconds kM = 60 * kS;
constexpr Nanoseconds kH = 60 * kM;

TEST_CASE("duration: parses what Go's time.ParseDuration accepts", "[duration]") {
  struct Case {
    const char* text;
    Nanoseconds want;
  };
  // Cases from Go's own time package tests.
  for (const Case& c : std::vector<Case>{
           {"0", 0},
           {"5s", 5 * kS},
           {"30s", 30 * kS},
           {"1478s", 1478 * kS},
           {"-5s", -5 * kS},
           {"+5s", 5 * kS},
           {"-0", 0},
           {"+0", 0},
           {"5.0s", 5 * kS},
           {"5.6s", 5 * kS + 600 * kMs},
           {"5.s", 5 * kS},
           {".5s", 500 * kMs},
           {"1.0s", 1 * kS},
           {"1.00s", 1 * kS},
           {"1.004s", 1 * kS + 4 * kMs},
           {"1.0040s", 1 * kS + 4 * kMs},
           {"100.00100s", 100 * kS + 1 * kMs},
           {"10ns", 10},
           {"11us", 11 * kUs},
           {"12\xC2\xB5s", 12 * kUs},
           {"12\xCE\xBCs", 12 * kUs},
           {"13ms", 13 * kMs},
           {"14s", 14 * kS},
           {"15m", 15 * kM},
           {"16h", 16 * kH},
           {"3h30m", 3 * kH + 30 * kM},
           {"10.5s4m", 4 * kM + 10 * kS + 500 * kMs},
           {"-2m3.4s", -(2 * kM + 3 * kS + 400 * kMs)},
           {"1h2m3s4ms5us6ns", kH + 2 * kM + 3 * kS + 4 * kMs + 5 * kUs + 6},
           {"39h9m14.425s", 39 * kH + 9 * kM + 14 * kS + 425 * kMs},
           {"52763797000ns", 52763797000},
           {"0.3333333333333333333h", 20 * kM},
           {"9007199254740993ns", 9007199254740993},
           {"9223372036854775807ns", INT64_MAX},
           {"9223372036854775.807us", INT64_MAX},
           {"9223372036s854ms775us807ns", INT64_MAX},
           {"-9223372036854775808ns", INT64_MIN},
           {"-9223372036854775.808us", INT64_MIN},
           {"0.100000000000000000000h", 6 * kM},
           {"0.830103483285477580700h", 49 * kM + 48 * kS + 372539827},
           {"2m0s", 2 * kM},
           {"90s", 90 * kS},
           {"1h2m3.5s", kH + 2 * kM + 3 * kS + 500 * kMs},
       }) {
    INFO(c.text);
    std::optional<Nanoseconds> got = ParseGoDuration(c.text);
    REQUIRE(got.has_value());
    CHECK(*got == c.want);
  }
}

TEST_CASE("duration: rejects what Go rejects", "[duration]") {
  for (const char* bad : {"", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "1sec", "1 s", " 1s", "1s ", "1.5",
                          "9223372036854775808ns", "9223372036854775.808us", "-9223372036854775809ns",
                          "3000000h", "\xC2\xB5s", "1Ms", "1S", "x1s", "1s-1s"}) {
    INFO(bad);
    CHECK_FALSE(ParseGoDuration(bad).has_value());
  }
}

TEST_CASE("duration: formats like Go's Duration.String", "[duration]") {
  struct Case {
    Nanoseconds d;
    const char* want;
  };
  for (const Case& c : std::vector<Case>{
           {0, "0s"},
           {1, "1ns"},
           {1100, "1.1\xC2\xB5s"},
           {2200 * kUs, "2.2ms"},
           {3300 * kMs, "3.3s"},
           {4 * kM + 5 * kS, "4m5s"},
           {4 * kM + 5001 * kMs, "4m5.001s"},
           {5 * kH + 6 * kM + 7001 * kMs, "5h6m7.001s"},
           {8 * kM + 1, "8m0.000000001s"},
           {2 * kM, "2m0s"},
           {kH, "1h0m0s"},
           {90 * kS, "1m30s"},
           {-kS, "-1s"},
           {INT64_MAX, "2562047h47m16.854775807s"},
           {INT64_MIN, "-2562047h47m16.854775808s"},
       }) {
    INFO(c.want);
    CHECK(FormatGoDuration(c.d) == c.want);
  }
}

TEST_CASE("duration: format then parse round-trips", "[duration]") {
  for (Nanoseconds d : {Nanoseconds{0}, Nanoseconds{1}, 1500 * kUs, 2 * kM, kH + 1, -3 * kS, INT64_MAX, INT64_MIN}) {
    INFO(d);
    CHECK(ParseGoDuration(FormatGoDuration(d)) == d);
  }
}

}  // namespace
}  // namespace flint::agent
