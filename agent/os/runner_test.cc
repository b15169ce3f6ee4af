#include "agent/os/runner.h"

#include <catch2/catch.hpp>

#include "agent/error.h"

namespace flint::agent {
namespace {

TEST_CASE("runner: exit code, stdout and stderr of a real process", "[runner]") {
  ProcessRunner r;
  RunResult res = r.Run({"sh", "-c", "echo out; echo err >&2; exit 7"});
  CHECK(res.exit_code == 7);
  CHECK(res.out == "out\n");
  CHECK(res.err == "err\n");
}

TEST_CASE("runner: argv is passed as is, never through a shell", "[runner]") {
  ProcessRunner r;
  RunResult res = r.Run({"printf", "%s|", "a b", "$HOME", "'q'", ""});
  CHECK(res.exit_code == 0);
  CHECK(res.out == "a b|$HOME|'q'||");
}

TEST_CASE("runner: stdin is fed, large outputs do not deadlock", "[runner]") {
  ProcessRunner r;
  std::string big(1 << 20, 'x');
  RunResult res = r.Run({"cat"}, big);
  CHECK(res.exit_code == 0);
  CHECK(res.out == big);
  // Both streams at once, more than a pipe buffer each.
  res = r.Run({"sh", "-c", "head -c 200000 /dev/zero; head -c 300000 /dev/zero >&2"});
  CHECK(res.out.size() == 200000);
  CHECK(res.err.size() == 300000);
}

TEST_CASE("runner: a program that ignores its stdin", "[runner]") {
  ProcessRunner r;
  RunResult res = r.Run({"true"}, std::string(1 << 20, 'x'));
  CHECK(res.exit_code == 0);
}

TEST_CASE("runner: death by signal is 128+N", "[runner]") {
  ProcessRunner r;
  CHECK(r.Run({"sh", "-c", "kill -9 $$"}).exit_code == 128 + 9);
}

TEST_CASE("runner: a missing program is a failure naming it", "[runner]") {
  ProcessRunner r;
  CHECK_THROWS_WITH(r.Run({"/nonexistent/flint-no-such-tool", "x"}),
                    "executing '/nonexistent/flint-no-such-tool': No such file or directory");
  CHECK_THROWS_AS(r.Run({}), Failure);
}

TEST_CASE("runner: the fake records argvs and answers in order", "[runner]") {
  FakeRunner fake;
  fake.results.push_back({1, "", "mkfs failed"});
  fake.handler = [](const Argv& argv) { return RunResult{0, argv[0] + " ok", ""}; };
  Runner& r = fake;
  CHECK(r.Run({"mkfs.xfs", "-f", "/dev/vda4"}) == RunResult{1, "", "mkfs failed"});
  CHECK(r.Run({"udevadm", "settle"}, "in") == RunResult{0, "udevadm ok", ""});
  CHECK(fake.calls == std::vector<Argv>{{"mkfs.xfs", "-f", "/dev/vda4"}, {"udevadm", "settle"}});
  CHECK(fake.inputs == std::vector<std::string>{"", "in"});
}

TEST_CASE("runner: RunChecked puts the command and its stderr into the failure", "[runner]") {
  FakeRunner fake;
  fake.results.push_back({0, "ok", ""});
  fake.results.push_back({1, "", "mkfs.xfs: /dev/vda4 is mounted\n"});
  fake.results.push_back({2, "", ""});
  CHECK(RunChecked(fake, {"true"}).out == "ok");
  CHECK_THROWS_WITH(RunChecked(fake, {"mkfs.xfs", "-f", "-L", "root", "/dev/vda4"}),
                    "mkfs.xfs -f -L root /dev/vda4 exited 1: mkfs.xfs: /dev/vda4 is mounted");
  CHECK_THROWS_WITH(RunChecked(fake, {"x"}), "x exited 2: (no stderr)");
}

TEST_CASE("runner: argv formatting for messages", "[runner]") {
  CHECK(FormatArgv({"mkfs.xfs", "-f", "-L", "root", "/dev/vda4"}) == "mkfs.xfs -f -L root /dev/vda4");
  CHECK(FormatArgv({"echo", "a b", "", "it's"}) == "echo 'a b' '' 'it'\\''s'");
}

}  // namespace
}  // namespace flint::agent
