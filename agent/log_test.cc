#include "agent/log.h"

#include <catch2/catch.hpp>
#include <sstream>

namespace flint::agent {
namespace {

TEST_CASE("log: stdout lines are LEVEL: stage: message", "[log]") {
  std::ostringstream out;
  auto sink = MakeStreamSink(out);
  Log log(*sink, "disks");
  log.Info("partitioning '/dev/vda'");
  log.Critical("it broke");
  log.SetStage("");
  log.Warning("no stage");
  CHECK(out.str() == "INFO: disks: partitioning '/dev/vda'\nCRITICAL: disks: it broke\nWARNING: no stage\n");
}

TEST_CASE("log: journal fields", "[log]") {
  LogEntry e{Level::kError, "files", "writing '/etc/motd' failed", {{"FLINT_PATH", "/etc/motd"}}};
  CHECK(JournalFields(e) == std::vector<std::string>{"MESSAGE=writing '/etc/motd' failed", "PRIORITY=3",
                                                     "SYSLOG_IDENTIFIER=flint", "FLINT_STAGE=files",
                                                     "FLINT_PATH=/etc/motd"});
  LogEntry bare{Level::kDebug, "", "m", {}};
  CHECK(JournalFields(bare) == std::vector<std::string>{"MESSAGE=m", "PRIORITY=7", "SYSLOG_IDENTIFIER=flint"});
}

TEST_CASE("log: Step logs started and finished, and returns the value", "[log]") {
  CapturingSink sink;
  Log log(sink, "mount");
  int v = log.Step("mounting '/dev/vda4'", [] { return 42; });
  CHECK(v == 42);
  CHECK(sink.Text() == "INFO: mount: mounting '/dev/vda4': started\nINFO: mount: mounting '/dev/vda4': finished");
}

TEST_CASE("log: Step logs failed once and rethrows the same exception", "[log]") {
  CapturingSink sink;
  Log log(sink, "disks");
  try {
    log.Step("wiping '/dev/vda'", [] { throw Failure("wipefs").Device("/dev/vda").Cause("busy"); });
    FAIL("expected the failure to propagate");
  } catch (const Failure& f) {
    CHECK(std::string(f.what()) == "wipefs '/dev/vda': busy");
  }
  CHECK(sink.Text() == "INFO: disks: wiping '/dev/vda': started\nERROR: disks: wiping '/dev/vda': failed");
}

TEST_CASE("log: level names", "[log]") {
  CHECK(LevelName(Level::kCritical) == "CRITICAL");
  CHECK(LevelName(Level::kError) == "ERROR");
  CHECK(LevelName(Level::kWarning) == "WARNING");
  CHECK(LevelName(Level::kNotice) == "NOTICE");
  CHECK(LevelName(Level::kInfo) == "INFO");
  CHECK(LevelName(Level::kDebug) == "DEBUG");
}

}  // namespace
}  // namespace flint::agent
