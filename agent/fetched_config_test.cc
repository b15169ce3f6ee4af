#include "agent/fetched_config.h"

#include <catch2/catch.hpp>

namespace flint::agent {
namespace {

TEST_CASE("fetched config: sources named without what may be secret", "[fetched]") {
  CHECK(DescribeSource("https://user:pw@h:8443/c.ign?X-Amz-Signature=abc") ==
        "'https://***@h:8443/c.ign?X-Amz-Signature=***'");
  CHECK(DescribeSource("data:,secret") == "a data URL");
  CHECK(DescribeSource("tftp://10.0.0.1/c.ign") == "'tftp://10.0.0.1/c.ign'");
}

TEST_CASE("fetched config: recorded in the state and the journal", "[fetched]") {
  CapturingSink sink;
  Log log(sink);
  State state;
  RecordFetchedConfig(state, log, "user", "qemu", false, "abc");
  RecordFetchedConfig(state, log, "user", "qemu", false, "abc");  // the same: recorded once
  RecordFetchedConfig(state, log, "user", "https://t@h/w?token=x", true, "");
  const std::string abc =
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e"
      "2a9ac94fa54ca49f";
  const std::string empty =
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81"
      "a538327af927da3e";
  CHECK(state.fetched_configs ==
        std::vector<FetchedConfig>{{"user", "qemu", false, abc}, {"user", "https://***@h/w?token=***", true, empty}});
  REQUIRE(sink.entries.size() == 3);
  CHECK(sink.entries[0].message == "fetched user config from \"qemu\" (SHA-512 " + abc + ")");
  CHECK(sink.entries[2].message == "fetched referenced user config from \"https://***@h/w?token=***\" (SHA-512 " + empty + ")");
  CHECK(sink.entries[2].fields.at(0) == LogField{"MESSAGE_ID", "57124006b5c94805b77ce473e92a8aeb"});
  CHECK(sink.entries[2].fields.at(3) == LogField{"IGNITION_CONFIG_REFERENCED", "true"});
}

}  // namespace
}  // namespace flint::agent
