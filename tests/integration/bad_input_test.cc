// `flint validate` on inputs that are not valid configs: exit 1 with one
// clear line naming line and column, nothing on stderr, no crash, and peak
// memory bounded by a small multiple of the input even for a 100 MB string.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "flint-bad-input-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
};

struct Run {
  int exit_code = -1;  // -1: killed by a signal
  std::string out;
  std::string err;
  long max_rss_kib = 0;
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Writes `parts` to `path`; a part of {n, c} is n copies of c, so that big
// inputs never sit in this process (its RSS would count as the child's:
// Linux carries the peak RSS across fork and exec).
struct Part {
  std::string text;
  size_t repeat = 0;
  char c = 0;
};

void WriteInput(const fs::path& path, const std::vector<Part>& parts) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  for (const Part& p : parts) {
    f << p.text;
    std::string block(std::min<size_t>(p.repeat, 1 << 20), p.c);
    for (size_t left = p.repeat; left > 0; left -= std::min(left, block.size()))
      f.write(block.data(), static_cast<std::streamsize>(std::min(left, block.size())));
  }
  REQUIRE(f.good());
}

// Runs `flint validate FILE` with stdout and stderr captured in files, and
// the child's own peak RSS from wait4.
Run Validate(const TempDir& dir, const std::vector<Part>& input) {
  fs::path input_path = dir.path / "config.ign";
  fs::path out = dir.path / "stdout";
  fs::path err = dir.path / "stderr";
  WriteInput(input_path, input);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(127);
    const char* argv[] = {FLINT_BINARY, "validate", input_path.c_str(), nullptr};
    execv(FLINT_BINARY, const_cast<char* const*>(argv));
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  REQUIRE(wait4(pid, &status, 0, &usage) == pid);
  Run run;
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  run.out = Slurp(out);
  run.err = Slurp(err);
  run.max_rss_kib = usage.ru_maxrss;
  return run;
}

const std::string kHead = R"({"ignition": {"version": "3.4.0"}, )";

TEST_CASE("flint validate exits 1 with one clear line on each kind of bad input") {
  TempDir dir;
  struct Case {
    const char* name;
    std::string input;
    std::string line;
  };
  const Case cases[] = {
      {"not JSON", "ignition:\n  version: 3.4.0\n",
       "error at line 1 col 1: invalid JSON: unexpected character 'i'; expected a value"},
      {"a comment", "{\n  # the version\n  \"ignition\": {\"version\": \"3.4.0\"}\n}",
       "error at line 2 col 3: invalid JSON: unexpected character '#'; expected a string key or "
       "'}' "
       "(comments are not allowed in JSON)"},
      {"truncated", kHead + "\"storage\": {\"files\": [{\"path\": \"/etc/mo",
       "error at line 1 col 75: invalid JSON: unexpected end of input in a string (missing closing "
       "quote)"},
      {"200 000 levels of nesting", std::string(200000, '[') + std::string(200000, ']'),
       "error at line 1 col 1001: invalid JSON: nesting deeper than 1000 levels"},
      {"invalid UTF-8", kHead + "\"passwd\": {\"users\": [{\"name\": \"j\xFCrgen\"}]}}",
       "error at line 1 col 68: invalid JSON: invalid UTF-8 byte 0xFC in a string"},
      {"a wrong type",
       kHead + "\"storage\": {\"files\": [{\"path\": \"/a\", \"mode\": \"0644\"}]}}",
       "error at $.storage.files.0.mode, line 1 col 81: invalid type: expected an integer, found a "
       "string"},
      {"a duplicate key",
       kHead + "\"storage\": {\"files\": [{\"path\": \"/a\",\n \"path\": \"/b\"}]}}",
       "error at $.storage.files.0.path, line 2 col 2: duplicate key \"path\""},
      {"a huge number", kHead + "\"passwd\": {\"users\": [{\"name\": \"a\", \"uid\": 1e400}]}}",
       "error at $.passwd.users.0.uid, line 1 col 78: number is out of range for a 64-bit integer"},
      {"empty input", "", "error: not a config (empty)"},
      {"a byte order mark", "\xEF\xBB\xBF{\"ignition\": {\"version\": \"3.4.0\"}}",
       "error at line 1 col 1: invalid JSON: byte order mark (U+FEFF) at the start; JSON must not "
       "have one"},
      {"a top-level array", "[{\"ignition\": {\"version\": \"3.4.0\"}}]",
       "error at $.ignition.version, line 1 col 1: invalid config version (couldn't parse)"},
      {"a newer spec", "{\"ignition\": {\"version\": \"3.8.0\"}}",
       "error at $.ignition.version, line 1 col 26: unsupported config version"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Run run = Validate(dir, {{c.input}});
    CHECK(run.exit_code == 1);
    CHECK(run.out == c.line + "\n");
    CHECK(run.err == "");
  }
}

TEST_CASE("flint validate on a 100 MB string stays within 4x the input in memory") {
  TempDir dir;
  const size_t kSize = 100 * 1000 * 1000;
  const std::string head =
      kHead + R"("storage": {"files": [{"path": "/big", "contents": {"source": "data:,)";
  const size_t string_end = head.size() + kSize;  // bytes before the closing quote

  struct Case {
    const char* name;
    std::string tail;
    int exit_code;
    std::string out;
  };
  const Case cases[] = {
      {"valid", "\"}}]}}", 0, ""},
      {"a wrong type after it", "\"}, \"mode\": \"0644\"}]}}", 1,
       "error at $.storage.files.0.mode, line 1 col " + std::to_string(string_end + 13) +
           ": invalid type: expected an integer, found a string\n"},
      {"unterminated", "", 1,
       "error at line 1 col " + std::to_string(string_end + 1) +
           ": invalid JSON: unexpected end of input in a string (missing closing quote)\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Run run = Validate(dir, {{head}, {"", kSize, 'A'}, {c.tail}});
    CHECK(run.exit_code == c.exit_code);
    if (c.exit_code == 1) CHECK(run.out == c.out);
    CHECK(run.out.size() < 200);  // the string is never echoed
    CHECK(run.err == "");
    long input_kib = static_cast<long>((string_end + c.tail.size()) / 1024);
    CAPTURE(run.max_rss_kib, input_kib);
    CHECK(run.max_rss_kib < 4 * input_kib);
  }
}

}  // namespace
