#include "agent/fetch/http.h"

#include <catch2/catch.hpp>

namespace flint::agent {
namespace {

using Lines = std::vector<std::string>;

TEST_CASE("http: default request headers", "[http]") {
  CHECK(RequestHeaderLines({}) ==
        Lines{std::string("User-Agent: flint/") + FLINT_VERSION,
              "Accept: application/vnd.coreos.ignition+json;version=3.6.0, */*;q=0.1", "Accept-Encoding: identity"});
}

TEST_CASE("http: config headers replace defaults by name and add the rest", "[http]") {
  std::vector<schema::HttpHeader> custom = {
      {"accept", "application/json"},
      {"Authorization", "Bearer s3cr3t"},
      {"X-Deleted", std::nullopt},
      {"X-Empty", ""},
  };
  CHECK(RequestHeaderLines(custom) == Lines{std::string("User-Agent: flint/") + FLINT_VERSION,
                                            "Accept-Encoding: identity", "accept: application/json",
                                            "Authorization: Bearer s3cr3t", "X-Empty;"});
}

TEST_CASE("http: headers that would break the request are refused without their value", "[http]") {
  auto message = [](std::vector<schema::HttpHeader> h) {
    try {
      RequestHeaderLines(h);
    } catch (const FetchError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(message({{"X-Token", "abc\r\nHost: evil"}}) == "invalid value for HTTP header 'X-Token' (line breaks)");
  CHECK(message({{"Bad Name", "v"}}) == "invalid HTTP header name 'Bad Name'");
  CHECK(message({{"X:Y", "v"}}) == "invalid HTTP header name 'X:Y'");
}

}  // namespace
}  // namespace flint::agent
