#include "agent/error.h"

#include <cerrno>
#include <catch2/catch.hpp>

namespace flint::agent {
namespace {

TEST_CASE("error: the message names the operation, object, field and cause", "[error]") {
  Failure f = Failure("fdisk_add_partition").Device("/dev/vda").Field("$.storage.disks.0.partitions.1").Errno(ENOSPC);
  CHECK(std::string(f.what()) ==
        "fdisk_add_partition '/dev/vda' (at $.storage.disks.0.partitions.1): No space left on device");
  CHECK(f.LogFields() ==
        std::vector<LogField>{{"FLINT_FIELD", "$.storage.disks.0.partitions.1"}, {"FLINT_DEVICE", "/dev/vda"}});
}

TEST_CASE("error: parts left out", "[error]") {
  CHECK(std::string(Failure("reading").Path("/x").what()) == "reading '/x'");
  CHECK(std::string(Failure::Message("stage kargs is not implemented").what()) == "stage kargs is not implemented");
  CHECK(std::string(Failure("fetching").Url("http://h/c").Cause("timeout").what()) == "fetching 'http://h/c': timeout");
  CHECK(Failure("fetching").Url("http://h/c").LogFields() == std::vector<LogField>{{"FLINT_URL", "http://h/c"}});
  CHECK(std::string(Failure("").Field("$.a").Cause("bad").what()) == "(at $.a): bad");
  CHECK(Failure::Message("x").LogFields().empty());
}

}  // namespace
}  // namespace flint::agent
