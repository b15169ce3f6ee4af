// The metadata clouds that need more than a GET through the Fetcher (AWS and
// Akamai token PUTs, Scaleway's privileged source port), against an HTTP
// server on 127.0.0.1 (FLINT_METADATA_URL) and a fake Fetcher for the GETs.
#include <catch2/catch.hpp>

#include "agent/digest.h"
#include "agent/error.h"
#include "agent/providers/metadata.h"
#include "tests/fake_fetcher.h"
#include "tests/tiny_http_server.h"

namespace flint::agent {
namespace {

using flint::testing::FakeFetcher;
using flint::testing::TinyHttpServer;

struct Cloud {
  explicit Cloud(const std::string& base) : env(FakeEnv({{"FLINT_METADATA_URL", base}})) {}
  Env env;
  CapturingSink sink;
  Log log{sink};
  FakeFetcher fetcher;
  int sleeps = 0;
  ProviderContext ctx{log, env, false, 10 * 1000000000LL, &fetcher, nullptr, [this] { ++sleeps; }};
};

TEST_CASE("aws: IMDSv2 token, then the user data with it", "[providers]") {
  TinyHttpServer imds([](const TinyHttpServer::Request&) { return TinyHttpServer::Response(200, "AQAEAsecret=="); });
  Cloud cloud(imds.url());
  cloud.fetcher.responses[imds.url() + "/2019-10-01/user-data"] = "EC2";
  CHECK(FetchAwsConfig(cloud.ctx) == "EC2");
  REQUIRE(imds.requests().size() == 1);
  CHECK(imds.requests()[0].method == "PUT");
  CHECK(imds.requests()[0].target == "/latest/api/token");
  CHECK(imds.requests()[0].headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600");
  CHECK(cloud.fetcher.calls[0].headers ==
        std::vector<schema::HttpHeader>{{"X-aws-ec2-metadata-token", "AQAEAsecret=="}});
  CHECK(cloud.sink.Text().find("AQAEAsecret") == std::string::npos);
}

TEST_CASE("aws: no token endpoint falls back to IMDSv1; no user data is empty", "[providers]") {
  TinyHttpServer imds([](const TinyHttpServer::Request&) { return TinyHttpServer::Response(404, ""); });
  Cloud cloud(imds.url());
  CHECK(FetchAwsConfig(cloud.ctx) == "");
  CHECK(cloud.fetcher.calls.at(0).headers.empty());
  CHECK(cloud.sink.Text().find("asking without a token") != std::string::npos);
}

TEST_CASE("aws: the token request is retried on 5xx and bounded", "[providers]") {
  int answered = 0;
  TinyHttpServer imds([&](const TinyHttpServer::Request&) {
    return ++answered < 3 ? TinyHttpServer::Response(503, "") : TinyHttpServer::Response(200, "t");
  });
  Cloud cloud(imds.url());
  cloud.fetcher.responses[imds.url() + "/2019-10-01/user-data"] = "X";
  CHECK(FetchAwsConfig(cloud.ctx) == "X");
  CHECK(cloud.sleeps == 3);  // 1 s, then 2 s
  CHECK(cloud.sink.Text().find("WARNING: waiting for the aws metadata service: PUT " + imds.url() +
                               "/latest/api/token, attempt 1: HTTP status 503; next try in 1s") != std::string::npos);
  Cloud down("http://127.0.0.1:1");
  CHECK_THROWS_WITH(FetchAwsConfig(down.ctx), Catch::StartsWith("PUT http://127.0.0.1:1/latest/api/token (aws "
                                                                "metadata service): giving up after 4 attempts in "
                                                                "7s: connecting"));
  Cloud offline(imds.url());
  offline.ctx.offline = true;
  CHECK_THROWS_AS(FetchAwsConfig(offline.ctx), NeedNet);
}

TEST_CASE("akamai: token PUT, then base64 user data", "[providers]") {
  TinyHttpServer mds([](const TinyHttpServer::Request&) { return TinyHttpServer::Response(200, " tkn\n"); });
  Cloud cloud(mds.url());
  cloud.fetcher.responses[mds.url() + "/v1/user-data"] = EncodeBase64("LINODE");
  CHECK(FetchAkamaiConfig(cloud.ctx) == "LINODE");
  TinyHttpServer::Request put = mds.requests().at(0);
  CHECK(put.method == "PUT");
  CHECK(put.target == "/v1/token");
  CHECK(put.headers["accept"] == "text/plain");
  CHECK(put.headers["metadata-token-expiry-seconds"] == "300");
  CHECK(cloud.fetcher.calls[0].headers ==
        std::vector<schema::HttpHeader>{{"Accept", "*/*"}, {"Metadata-Token", "tkn"}});
  // No user data is a failure here, as upstream.
  Cloud missing(mds.url());
  CHECK_THROWS_WITH(FetchAkamaiConfig(missing.ctx), Catch::Contains("resource not found"));
  TinyHttpServer empty([](const TinyHttpServer::Request&) { return TinyHttpServer::Response(200, "  "); });
  Cloud no_token(empty.url());
  CHECK_THROWS_WITH(FetchAkamaiConfig(no_token.ctx), Catch::EndsWith("received an empty token"));
}

TEST_CASE("scaleway: from a source port below 1024", "[providers]") {
  TinyHttpServer mds([](const TinyHttpServer::Request& r) {
    return r.target == "/user_data/cloud-init" ? TinyHttpServer::Response(200, "SCW")
                                               : TinyHttpServer::Response(404, "");
  });
  Cloud cloud(mds.url());
  if (::geteuid() != 0) {
    WARN("scaleway: binding a port below 1024 needs root: skipped");
    return;
  }
  CHECK(FetchScalewayConfig(cloud.ctx) == "SCW");
  int port = mds.requests().at(0).client_port;
  CHECK(port >= 1);
  CHECK(port <= 1022);
  CHECK(cloud.fetcher.calls.empty());
  TinyHttpServer none([](const TinyHttpServer::Request&) { return TinyHttpServer::Response(404, ""); });
  Cloud empty(none.url());
  CHECK(FetchScalewayConfig(empty.ctx) == "");
}

}  // namespace
}  // namespace flint::agent
