#include <catch2/catch.hpp>

#include "agent/error.h"
#include "agent/state.h"

namespace flint::agent {
namespace {

TEST_CASE("state: LUKS volumes for crypttab round-trip", "[state]") {
  State s;
  s.luks_volumes = {{"root", "/dev/vda4", "1111-2222", "/etc/luks/root", {"luks", "discard"}},
                    {"data", "/dev/vdb", "3333", "none", {"luks", "_netdev"}}};
  nlohmann::json j = StateToJson(s);
  CHECK(j["luksVolumes"] == nlohmann::json::parse(R"([
      {"name":"root","device":"/dev/vda4","uuid":"1111-2222","keyFile":"/etc/luks/root","options":["luks","discard"]},
      {"name":"data","device":"/dev/vdb","uuid":"3333","keyFile":"none","options":["luks","_netdev"]}])"));
  CHECK(StateFromJson(j).luks_volumes == s.luks_volumes);
  // Absent when there are none, so upstream's state stays as it was.
  CHECK_FALSE(StateToJson(State{}).contains("luksVolumes"));
  CHECK_THROWS_AS(StateFromJson(nlohmann::json::parse(R"({"luksVolumes":{}})")), Failure);
}

}  // namespace
}  // namespace flint::agent
