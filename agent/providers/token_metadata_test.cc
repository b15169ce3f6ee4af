// The metadata clouds that need more than a GET of the user data (AWS and
// Akamai token PUTs, Scaleway's privileged source port), against a fake
// Fetcher: what they ask the fetcher for, and what they make of the answers.
// The real PUTs and source ports are tested against a server in
// tests/integration (fetch_schemes_test, render_platforms_test).
#include <catch2/catch.hpp>

#include "agent/digest.h"
#include "agent/error.h"
#include "agent/providers/metadata.h"
#include "tests/fake_fetcher.h"

namespace flint::agent {
namespace {

using flint::testing::FakeFetcher;

constexpr const char* kBase = "http://127.0.0.1:9";

struct Cloud {
  Env env = FakeEnv({{"FLINT_METADATA_URL", kBase}});
  CapturingSink sink;
  Log log{sink};
  FakeFetcher fetcher;
  ProviderContext ctx{log, env, false, &fetcher, nullptr, [] {}};
};

TEST_CASE("aws: IMDSv2 token, then the user data with it", "[providers]") {
  Cloud cloud;
  cloud.fetcher.http_responses[std::string("PUT ") + kBase + "/latest/api/token"] = "AQAEAsecret==";
  cloud.fetcher.responses[std::string(kBase) + "/2019-10-01/user-data"] = "EC2";
  CHECK(FetchAwsConfig(cloud.ctx) == "EC2");
  REQUIRE(cloud.fetcher.http_requests.size() == 1);
  const HttpRequest& put = cloud.fetcher.http_requests[0];
  CHECK(put.method == "PUT");
  CHECK(put.url == std::string(kBase) + "/latest/api/token");
  CHECK(put.headers == std::vector<schema::HttpHeader>{{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}});
  CHECK(put.what == "the aws IMDSv2 token");
  CHECK(cloud.fetcher.calls[0].headers ==
        std::vector<schema::HttpHeader>{{"X-aws-ec2-metadata-token", "AQAEAsecret=="}});
  CHECK(cloud.sink.Text().find("AQAEAsecret") == std::string::npos);
}

TEST_CASE("aws: no token endpoint falls back to IMDSv1; no user data is empty", "[providers]") {
  Cloud cloud;
  CHECK(FetchAwsConfig(cloud.ctx) == "");
  CHECK(cloud.fetcher.calls.at(0).headers.empty());
  CHECK(cloud.sink.Text().find("asking without a token") != std::string::npos);
  Cloud empty;
  empty.fetcher.http_responses[std::string("PUT ") + kBase + "/latest/api/token"] = "";
  CHECK_THROWS_WITH(FetchAwsConfig(empty.ctx), std::string("fetching the aws IMDSv2 token '") + kBase +
                                                   "/latest/api/token': the metadata service answered an empty token");
  Cloud offline;
  offline.ctx.offline = true;
  CHECK_THROWS_AS(FetchAwsConfig(offline.ctx), NeedNet);
  CHECK(offline.fetcher.http_requests.empty());
}

TEST_CASE("akamai: token PUT, then base64 user data", "[providers]") {
  Cloud cloud;
  cloud.fetcher.http_responses[std::string("PUT ") + kBase + "/v1/token"] = " tkn\n";
  cloud.fetcher.responses[std::string(kBase) + "/v1/user-data"] = EncodeBase64("LINODE");
  CHECK(FetchAkamaiConfig(cloud.ctx) == "LINODE");
  const HttpRequest& put = cloud.fetcher.http_requests.at(0);
  CHECK(put.method == "PUT");
  CHECK(put.url == std::string(kBase) + "/v1/token");
  CHECK(put.headers ==
        std::vector<schema::HttpHeader>{{"Accept", "text/plain"}, {"Metadata-Token-Expiry-Seconds", "300"}});
  CHECK(cloud.fetcher.calls[0].headers ==
        std::vector<schema::HttpHeader>{{"Accept", "*/*"}, {"Metadata-Token", "tkn"}});
  CHECK(cloud.sink.Text().find("tkn") == std::string::npos);
  // No user data is a failure here, as upstream; so is no token.
  Cloud missing;
  missing.fetcher.http_responses = cloud.fetcher.http_responses;
  CHECK_THROWS_WITH(FetchAkamaiConfig(missing.ctx), Catch::Contains("resource not found"));
  Cloud no_endpoint;
  CHECK_THROWS_WITH(FetchAkamaiConfig(no_endpoint.ctx),
                    std::string("fetching the akamai metadata token '") + kBase + "/v1/token': resource not found");
  Cloud blank;
  blank.fetcher.http_responses[std::string("PUT ") + kBase + "/v1/token"] = "  ";
  CHECK_THROWS_WITH(FetchAkamaiConfig(blank.ctx), Catch::EndsWith("the metadata service answered an empty token"));
}

TEST_CASE("scaleway: from a source port below 1024; 404 is empty", "[providers]") {
  Cloud cloud;
  cloud.fetcher.http_responses[std::string("GET ") + kBase + "/user_data/cloud-init"] = "SCW";
  CHECK(FetchScalewayConfig(cloud.ctx) == "SCW");
  REQUIRE(cloud.fetcher.http_requests.size() == 1);
  CHECK(cloud.fetcher.http_requests[0].privileged_source_port);
  CHECK(cloud.fetcher.http_requests[0].what == "the scaleway user data");
  CHECK(cloud.fetcher.calls.empty());
  Cloud empty;
  CHECK(FetchScalewayConfig(empty.ctx) == "");
  CHECK(empty.sink.Text().find("has no user data: continuing without a config") != std::string::npos);
  Cloud offline;
  offline.ctx.offline = true;
  CHECK_THROWS_AS(FetchScalewayConfig(offline.ctx), NeedNet);
}

}  // namespace
}  // namespace flint::agent
