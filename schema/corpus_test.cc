// Every config under tests/fixtures/configs/ parses to exactly the report in
// the `.expected` file beside it (what `flint validate` prints).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "schema/parse.h"

namespace flint::schema {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<fs::path> Fixtures() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(FLINT_SOURCE_DIR) / "tests/fixtures/configs"))
    if (e.path().extension() == ".ign") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("every fixture config has the expected report") {
  std::vector<fs::path> fixtures = Fixtures();
  REQUIRE(fixtures.size() >= 15);
  for (const fs::path& p : fixtures) {
    INFO(p.filename().string());
    fs::path expected = p;
    expected += ".expected";
    REQUIRE(fs::exists(expected));
    CHECK(Parse(ReadAll(p)).report.String() == ReadAll(expected));
  }
}

TEST_CASE("the scenario configs are valid") {
  for (const char* name : {"bootstrap-example.ign", "master-pointer.ign", "worker-pointer.ign",
                           "hosted-cluster-pointer.ign", "kubevirt-worker.ign",
                           "day1-customisation.ign"}) {
    INFO(name);
    ParseResult r =
        Parse(ReadAll(fs::path(FLINT_SOURCE_DIR) / "tests/fixtures/configs" / name));
    CHECK(r.report.empty());
    CHECK(r.config.has_value());
  }
}

TEST_CASE("the hosted-cluster pointer carries its Authorization header") {
  ParseResult r = Parse(
      ReadAll(fs::path(FLINT_SOURCE_DIR) / "tests/fixtures/configs/hosted-cluster-pointer.ign"));
  REQUIRE(r.config);
  REQUIRE(r.config->ignition.config.merge.size() == 1);
  const auto& headers = r.config->ignition.config.merge[0].http_headers;
  REQUIRE(headers.size() == 3);
  CHECK(headers[0].name == "Authorization");
  CHECK(headers[0].value.value_or("").rfind("Bearer ", 0) == 0);
}

}  // namespace
}  // namespace flint::schema
