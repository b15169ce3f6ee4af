// The HTTP metadata clouds against a fake Fetcher: upstream's URLs (with the
// FLINT_METADATA_URL override), headers, 404 rules and decoding.
#include "agent/providers/metadata.h"

#include <catch2/catch.hpp>

#include "agent/digest.h"
#include "agent/error.h"
#include "tests/fake_fetcher.h"

namespace flint::agent {
namespace {

using flint::testing::FakeFetcher;

struct Cloud {
  std::map<std::string, std::string> vars;
  Env env;
  CapturingSink sink;
  Log log{sink};
  FakeFetcher fetcher;
  int sleeps = 0;
  ProviderContext ctx;
  explicit Cloud(std::map<std::string, std::string> v = {})
      : vars(std::move(v)), env(FakeEnv(vars)), ctx{log, env, false, &fetcher, nullptr, [this] { ++sleeps; }} {}
};

TEST_CASE("metadata: the URL override for tests", "[providers]") {
  CHECK(MetadataUrl(FakeEnv({}), "http://169.254.169.254", "/latest/user-data") ==
        "http://169.254.169.254/latest/user-data");
  CHECK(MetadataUrl(FakeEnv({{"FLINT_METADATA_URL", "http://127.0.0.1:8080/"}}), "http://100.100.100.200",
                    "/latest/user-data") == "http://127.0.0.1:8080/latest/user-data");
}

struct Case {
  const char* platform;
  FetchConfigFn fetch;
  const char* url;
  std::vector<schema::HttpHeader> headers;
};

TEST_CASE("metadata: each cloud's URL and headers; 404 is an empty config", "[providers]") {
  const std::vector<Case> cases = {
      {"gcp",
       FetchGcpConfig,
       "http://metadata.google.internal/computeMetadata/v1/instance/attributes/user-data",
       {{"Metadata-Flavor", "Google"}}},
      {"exoscale", FetchExoscaleConfig, "http://169.254.169.254/1.0/user-data", {}},
      {"hetzner", FetchHetznerConfig, "http://169.254.169.254/hetzner/v1/userdata", {}},
      {"upcloud", FetchUpcloudConfig, "http://169.254.169.254/metadata/v1/user_data", {}},
      {"vultr", FetchVultrConfig, "http://169.254.169.254/user-data/user-data", {}},
      {"aliyun", FetchAliyunConfig, "http://100.100.100.200/latest/user-data", {}},
  };
  for (const Case& c : cases) {
    INFO(c.platform);
    Cloud cloud;
    cloud.fetcher.responses[c.url] = "USER-DATA";
    CHECK(c.fetch(cloud.ctx) == "USER-DATA");
    REQUIRE(cloud.fetcher.calls.size() == 1);
    CHECK(cloud.fetcher.calls[0].headers == c.headers);
    Cloud missing;
    CHECK(c.fetch(missing.ctx) == "");
    CHECK(missing.sink.Text().find("has no user data: continuing without a config") != std::string::npos);
    Cloud offline;
    offline.ctx.offline = true;
    CHECK_THROWS_AS(c.fetch(offline.ctx), NeedNet);
    CHECK(offline.fetcher.calls.empty());
  }
}

TEST_CASE("digitalocean: a 404 is a failure, as upstream", "[providers]") {
  Cloud cloud;
  cloud.fetcher.responses["http://169.254.169.254/metadata/v1/user-data"] = "DO";
  CHECK(FetchDigitaloceanConfig(cloud.ctx) == "DO");
  Cloud missing;
  CHECK_THROWS_WITH(FetchDigitaloceanConfig(missing.ctx),
                    "fetching the digitalocean user data 'http://169.254.169.254/metadata/v1/user-data': resource "
                    "not found");
}

TEST_CASE("oraclecloud: IMDSv2 with its fixed bearer header, base64", "[providers]") {
  Cloud cloud(std::map<std::string, std::string>{{"FLINT_METADATA_URL", "http://127.0.0.1:1"}});
  cloud.fetcher.responses["http://127.0.0.1:1/opc/v2/instance/metadata/user_data"] = EncodeBase64("{\"x\":1}");
  CHECK(FetchOraclecloudConfig(cloud.ctx) == "{\"x\":1}");
  CHECK(cloud.fetcher.calls[0].headers == std::vector<schema::HttpHeader>{{"Authorization", "Bearer Oracle"}});
  Cloud missing;
  CHECK(FetchOraclecloudConfig(missing.ctx) == "");
  Cloud garbage;
  garbage.fetcher.responses["http://169.254.169.254/opc/v2/instance/metadata/user_data"] = "not base64!";
  CHECK_THROWS_WITH(FetchOraclecloudConfig(garbage.ctx),
                    "decoding the user data of oraclecloud: the metadata service did not answer base64");
}

TEST_CASE("azure: IMDS userData, base64, retried while IMDS is not ready", "[providers]") {
  const std::string url =
      "http://169.254.169.254/metadata/instance/compute/userData?api-version=2021-01-01&format=text";
  Cloud cloud;
  cloud.fetcher.responses[url] = EncodeBase64("AZ");
  CHECK(FetchAzureConfig(cloud.ctx) == "AZ");
  CHECK(cloud.fetcher.calls[0].headers == std::vector<schema::HttpHeader>{{"Metadata", "true"}});
  // 404 while the VM is set up: retried 10 times, 2 s apart, then a failure.
  Cloud missing;
  CHECK_THROWS_WITH(FetchAzureConfig(missing.ctx),
                    "fetching the azure user data 'http://169.254.169.254/metadata/"
                    "instance/compute/userData?api-version=2021-01-01&format=text': resource not found");
  CHECK(missing.fetcher.calls.size() == 10);
  CHECK(missing.sleeps == 18);
  Cloud empty;
  empty.fetcher.responses[url] = "";
  CHECK(FetchAzureConfig(empty.ctx) == "");
  CHECK(empty.sink.Text().find("WARNING: azure: the IMDS userData is empty") != std::string::npos);
  Cloud offline;
  offline.ctx.offline = true;
  CHECK_THROWS_AS(FetchAzureConfig(offline.ctx), NeedNet);
}

TEST_CASE("metadata: the fetcher's 404", "[providers]") {
  CHECK(IsNotFound(Failure("fetching").Cause("resource not found")));
  CHECK_FALSE(IsNotFound(Failure("fetching").Cause("HTTP status 500")));
}

}  // namespace
}  // namespace flint::agent
