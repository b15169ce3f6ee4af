#include "agent/flags.h"

#include <catch2/catch.hpp>

namespace flint::agent {
namespace {

using Outcome = FlagParse::Outcome;

FlagChecks Checks() {
  return {
      [](std::string_view p) { return p == "file" || p == "metal" || p == "aws"; },
      [](std::string_view s) { return s == "fetch" || s == "fetch-offline" || s == "disks"; },
  };
}

FlagParse Parse(std::vector<std::string> args) { return ParseFlags(args, Checks()); }

Flags Ok(std::vector<std::string> args) {
  FlagParse p = Parse(std::move(args));
  INFO(p.error);
  REQUIRE(p.outcome == Outcome::kOk);
  return p.flags;
}

std::string Error(std::vector<std::string> args) {
  FlagParse p = Parse(std::move(args));
  REQUIRE(p.outcome == Outcome::kError);
  return p.error;
}

TEST_CASE("flags: defaults are upstream's", "[flags]") {
  Flags f = Ok({});
  CHECK(f.platform.empty());
  CHECK(f.stage.empty());
  CHECK(f.root == "/");
  CHECK(f.config_cache == "/run/ignition.json");
  CHECK(f.fetch_timeout == 120'000'000'000);
  CHECK(f.neednet == "/run/ignition/neednet");
  CHECK(f.config_provided == "/run/ignition/config-provided");
  CHECK(f.state_file == "/run/ignition/state");
  CHECK_FALSE(f.log_to_stdout);
  CHECK_FALSE(f.version);
  CHECK(f.args.empty());
}

TEST_CASE("flags: every spelling of a value flag", "[flags]") {
  for (auto args : std::vector<std::vector<std::string>>{
           {"-root", "/sysroot"},
           {"--root", "/sysroot"},
           {"-root=/sysroot"},
           {"--root=/sysroot"},
       }) {
    INFO(args[0]);
    CHECK(Ok(args).root == "/sysroot");
  }
}

TEST_CASE("flags: all flags at once", "[flags]") {
  Flags f = Ok({"-platform", "file", "--stage=fetch-offline", "-root", "/sysroot", "-config-cache=/tmp/c.json",
                "--fetch-timeout", "90s", "-neednet", "/tmp/nn", "-state-file=/tmp/st", "-log-to-stdout",
                "-config-provided-flag", "/tmp/cp"});
  CHECK(f.platform == "file");
  CHECK(f.stage == "fetch-offline");
  CHECK(f.root == "/sysroot");
  CHECK(f.config_cache == "/tmp/c.json");
  CHECK(f.fetch_timeout == 90'000'000'000);
  CHECK(f.neednet == "/tmp/nn");
  CHECK(f.state_file == "/tmp/st");
  CHECK(f.config_provided == "/tmp/cp");
  CHECK(f.log_to_stdout);
  CHECK_FALSE(f.version);
}

TEST_CASE("flags: booleans", "[flags]") {
  CHECK(Ok({"-version"}).version);
  CHECK(Ok({"--version"}).version);
  CHECK(Ok({"-version=true"}).version);
  CHECK(Ok({"-version=1"}).version);
  CHECK(Ok({"-version=T"}).version);
  CHECK(Ok({"-version=TRUE"}).version);
  CHECK(Ok({"-version=True"}).version);
  CHECK_FALSE(Ok({"-version=false"}).version);
  CHECK_FALSE(Ok({"-version=0"}).version);
  CHECK_FALSE(Ok({"-version=F"}).version);
  CHECK_FALSE(Ok({"-log-to-stdout", "-log-to-stdout=false"}).log_to_stdout);
  CHECK(Error({"-version=yes"}) == "invalid boolean value \"yes\" for -version: parse error");
  CHECK(Error({"-log-to-stdout="}) == "invalid boolean value \"\" for -log-to-stdout: parse error");
}

TEST_CASE("flags: a boolean never takes the next argument", "[flags]") {
  // As Go: "false" is the first non-flag argument, so parsing stops there.
  Flags f = Ok({"-version", "false", "-root", "/x"});
  CHECK(f.version);
  CHECK(f.root == "/");
  CHECK(f.args == std::vector<std::string>{"false", "-root", "/x"});
}

TEST_CASE("flags: the last occurrence wins", "[flags]") {
  CHECK(Ok({"-root", "/a", "-root", "/b"}).root == "/b");
}

TEST_CASE("flags: a value may start with a dash or be empty", "[flags]") {
  CHECK(Ok({"-root", "-version"}).root == "-version");
  CHECK(Ok({"-root="}).root.empty());
  CHECK(Ok({"-root=a=b"}).root == "a=b");
}

TEST_CASE("flags: parsing stops at the first non-flag argument or --", "[flags]") {
  Flags f = Ok({"-root", "/r", "extra", "-stage", "fetch"});
  CHECK(f.root == "/r");
  CHECK(f.stage.empty());
  CHECK(f.args == std::vector<std::string>{"extra", "-stage", "fetch"});

  f = Ok({"-root", "/r", "--", "-stage", "fetch"});
  CHECK(f.stage.empty());
  CHECK(f.args == std::vector<std::string>{"-stage", "fetch"});

  // A lone "-" is an argument, not a flag.
  f = Ok({"-", "-root", "/r"});
  CHECK(f.root == "/");
  CHECK(f.args == std::vector<std::string>{"-", "-root", "/r"});
}

TEST_CASE("flags: usage errors carry Go's messages", "[flags]") {
  CHECK(Error({"-bogus"}) == "flag provided but not defined: -bogus");
  CHECK(Error({"--bogus=1"}) == "flag provided but not defined: -bogus");
  CHECK(Error({"-Root", "/"}) == "flag provided but not defined: -Root");
  CHECK(Error({"-root"}) == "flag needs an argument: -root");
  CHECK(Error({"--platform"}) == "flag needs an argument: -platform");
  CHECK(Error({"---root", "/"}) == "bad flag syntax: ---root");
  CHECK(Error({"-=x"}) == "bad flag syntax: -=x");
  CHECK(Error({"--=x"}) == "bad flag syntax: --=x");
  CHECK(Error({"-fetch-timeout", "2"}) == "invalid value \"2\" for flag -fetch-timeout: parse error");
  CHECK(Error({"-fetch-timeout=soon"}) == "invalid value \"soon\" for flag -fetch-timeout: parse error");
  CHECK(Error({"-platform", "bogus"}) ==
        "invalid value \"bogus\" for flag -platform: bogus is not a valid platform");
  CHECK(Error({"-platform="}) == "invalid value \"\" for flag -platform:  is not a valid platform");
  CHECK(Error({"-stage", "install"}) ==
        "invalid value \"install\" for flag -stage: install is not a valid stage");
}

TEST_CASE("flags: the first error wins, before later flags are seen", "[flags]") {
  CHECK(Error({"-platform", "bogus", "-nope"}) ==
        "invalid value \"bogus\" for flag -platform: bogus is not a valid platform");
}

TEST_CASE("flags: -h, -help and --help ask for help", "[flags]") {
  for (std::string h : {"-h", "-help", "--help", "--h"}) {
    INFO(h);
    CHECK(Parse({"-platform", "file", h, "-bogus"}).outcome == Outcome::kHelp);
  }
  // -help=x is still help in Go (the value is never looked at).
  CHECK(Parse({"-help=1"}).outcome == Outcome::kHelp);
}

TEST_CASE("flags: fetch timeout in Go duration syntax", "[flags]") {
  CHECK(Ok({"-fetch-timeout", "2m0s"}).fetch_timeout == 120'000'000'000);
  CHECK(Ok({"-fetch-timeout=1h2m3.5s"}).fetch_timeout == 3'723'500'000'000);
  CHECK(Ok({"-fetch-timeout", "0"}).fetch_timeout == 0);
  CHECK(Ok({"-fetch-timeout", "1500ms"}).fetch_timeout == 1'500'000'000);
}

TEST_CASE("flags: required flags, checked after parsing as upstream does", "[flags]") {
  CHECK(MissingRequiredFlag(Ok({})) == "'--platform' must be provided");
  CHECK(MissingRequiredFlag(Ok({"-stage", "fetch"})) == "'--platform' must be provided");
  CHECK(MissingRequiredFlag(Ok({"-platform", "file"})) == "'--stage' must be provided");
  CHECK_FALSE(MissingRequiredFlag(Ok({"-platform", "file", "-stage", "fetch"})).has_value());
}

TEST_CASE("flags: Go quoting", "[flags]") {
  CHECK(GoQuote("abc") == "\"abc\"");
  CHECK(GoQuote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(GoQuote("\n\t\x01\x7f") == "\"\\n\\t\\x01\\x7f\"");
  CHECK(GoQuote("µs") == "\"µs\"");
}

TEST_CASE("flags: every flag is documented with upstream's default", "[flags]") {
  std::vector<std::string> names;
  for (const FlagDoc& d : FlagDocs()) names.emplace_back(d.name);
  CHECK(names == std::vector<std::string>{"platform", "stage", "root", "config-cache", "fetch-timeout", "neednet",
                                          "config-provided-flag", "state-file", "log-to-stdout", "version"});
  for (const FlagDoc& d : FlagDocs()) {
    if (d.name == "fetch-timeout") CHECK(d.default_text == "2m0s");
    if (d.name == "root") CHECK(d.default_text == "/");
    // Every documented flag parses.
    std::vector<std::string> args = {"-" + std::string(d.name)};
    if (!d.value_name.empty()) args.push_back(d.name == "platform" ? "file" : d.name == "stage" ? "fetch" : "1s");
    INFO(d.name);
    CHECK(Parse(args).outcome == Outcome::kOk);
  }
}

}  // namespace
}  // namespace flint::agent
