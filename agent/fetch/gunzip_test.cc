#include "agent/fetch/gunzip.h"

#include <catch2/catch.hpp>
#include <string>

#include "agent/fetch/gzip_for_tests.h"

namespace flint::agent {
namespace {

using testing::Gzip;

std::string Inflate(std::string_view gz, uint64_t limit = 1 << 30, size_t piece = 0) {
  Gunzip g(limit);
  std::string out;
  auto collect = [&out](std::string_view b) { out.append(b); };
  if (piece == 0) piece = gz.size() + 1;
  for (size_t i = 0; i < gz.size(); i += piece) g.Write(gz.substr(i, piece), collect);
  g.Finish();
  return out;
}

TEST_CASE("gunzip: whole, in one-byte pieces, and concatenated members", "[gunzip]") {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + "\n";
  std::string gz = Gzip(text);
  CHECK(Inflate(gz) == text);
  CHECK(Inflate(gz, 1 << 30, 1) == text);
  CHECK(Inflate(gz, 1 << 30, 4093) == text);
  CHECK(Inflate(Gzip("hello ") + Gzip("world")) == "hello world");
  CHECK(Inflate(Gzip("")) == "");
}

TEST_CASE("gunzip: output larger than the internal buffer arrives in full", "[gunzip]") {
  std::string zeros(3 * 1024 * 1024 + 17, '\0');
  std::string gz = Gzip(zeros, 9);
  CHECK(gz.size() < 10000);
  CHECK(Inflate(gz) == zeros);
}

TEST_CASE("gunzip: corrupt, truncated, trailing garbage and empty input are refused", "[gunzip]") {
  std::string gz = Gzip("some text that is long enough to matter");
  CHECK_THROWS_WITH(Inflate("not gzip at all"), "gzip: invalid data (incorrect header check)");
  CHECK_THROWS_WITH(Inflate(gz.substr(0, gz.size() - 4)), "gzip: the compressed data ends early (unexpected EOF)");
  CHECK_THROWS_WITH(Inflate(gz + "junk"), "gzip: invalid data (incorrect header check)");
  CHECK_THROWS_WITH(Inflate(""), "gzip: empty input (EOF)");
  std::string flipped = gz;
  flipped[gz.size() - 6] ^= 0x55;  // the CRC
  CHECK_THROWS_WITH(Inflate(flipped), "gzip: invalid data (incorrect data check)");
}

TEST_CASE("gunzip: a bomb stops at the limit", "[gunzip]") {
  std::string gz = Gzip(std::string(8 * 1024 * 1024, 'a'), 9);
  CHECK_THROWS_WITH(Inflate(gz, 1024 * 1024), "gzip: refusing to decompress more than 1 MiB (the data expands beyond the limit)");
  CHECK(Inflate(gz, 8 * 1024 * 1024).size() == 8 * 1024 * 1024);
  Gunzip g(1000);
  std::string out;
  CHECK_THROWS_AS(g.Write(gz, [&](std::string_view b) { out.append(b); }), GunzipError);
  CHECK(out.size() <= 1000);
}

TEST_CASE("gunzip: Reset starts a new stream", "[gunzip]") {
  Gunzip g(1 << 20);
  std::string out;
  auto collect = [&out](std::string_view b) { out.append(b); };
  std::string gz = Gzip("abc");
  g.Write(gz.substr(0, 5), collect);
  g.Reset();
  out.clear();
  g.Write(Gzip("xyz"), collect);
  g.Finish();
  CHECK(out == "xyz");
  CHECK(g.produced() == 3);
}

}  // namespace
}  // namespace flint::agent
