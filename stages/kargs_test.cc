#include "stages/kargs.h"

#include <catch2/catch.hpp>

#include "stages/files/stage_fixture_test.h"

namespace flint::stages {
namespace {

using agent::Argv;

TEST_CASE("kargs: the helper argv, should-exist first", "[kargs]") {
  schema::KernelArguments k;
  CHECK(KargsHelperArgv("helper", k).empty());
  k.should_not_exist = {"quiet"};
  k.should_exist = {"console=ttyS0,115200n8", "fips=1"};
  CHECK(KargsHelperArgv("helper", k) == Argv{"helper", "--should-exist", "console=ttyS0,115200n8", "--should-exist",
                                             "fips=1", "--should-not-exist", "quiet"});
}

TEST_CASE("kargs: the stage runs the tool table's helper, or nothing", "[kargs]") {
  StageFixture f;
  f.env = agent::FakeEnv({{"FLINT_TOOL_KARGS_HELPER", "/usr/libexec/my-kargs"}});
  agent::StageContext ctx = f.Context();
  f.Config(R"({"ignition":{"version":"3.4.0"}})");
  RunKargs(ctx);
  CHECK(f.runner.calls.empty());
  f.Config(R"({"ignition":{"version":"3.4.0"},"kernelArguments":{"shouldExist":["a=1"],"shouldNotExist":["b"]}})");
  RunKargs(ctx);
  CHECK(f.runner.calls ==
        std::vector<Argv>{{"/usr/libexec/my-kargs", "--should-exist", "a=1", "--should-not-exist", "b"}});
  f.runner.results.push_back({1, "", "cannot update kernel arguments\n"});
  CHECK_THROWS_WITH(RunKargs(ctx), "/usr/libexec/my-kargs --should-exist a=1 --should-not-exist b exited 1: cannot "
                                   "update kernel arguments");
}

}  // namespace
}  // namespace flint::stages
