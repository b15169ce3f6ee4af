// The other schemes end to end: tftp against tftpd-hpa, s3:// / arn: and
// gs:// against the test server standing in for the cloud endpoints, data
// URLs in every encoding, and the HTTP helper platform providers use.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "agent/fetch/gzip_for_tests.h"
#include "agent/fetch/hash.h"
#include "tests/integration/fetch_fixture.h"

namespace flint::testing {
namespace {

TEST_CASE("fetch tftp: a file, a gzip one with a hash, and a missing one", "[fetch][tftp]") {
  FetchFixture f;
  f.files().Write("pxe/config.ign", "{\"ignition\":{\"version\":\"3.4.0\"}}");
  f.files().Write("pxe/config.ign.gz", agent::testing::Gzip("compressed over tftp"));
  std::filesystem::permissions(f.files().path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                                     std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                                     std::filesystem::perms::others_exec);
  TftpServer tftp(f.files().path());
  f.Configure(2, 10);
  CHECK(f.Fetch(Source(tftp.Url("pxe/config.ign"))) == "{\"ignition\":{\"version\":\"3.4.0\"}}");
  schema::Resource gz = Source(tftp.Url("pxe/config.ign.gz"));
  gz.compression = "gzip";
  agent::Hasher h("sha256");
  h.Update("compressed over tftp");
  gz.verification.hash = "sha256-" + h.HexDigest();
  CHECK(f.Fetch(gz) == "compressed over tftp");
  CHECK(f.FetchError(Source(tftp.Url("pxe/missing.ign"))) ==
        "fetching '" + tftp.Url("pxe/missing.ign") + "' (at $.storage.files.0.contents): resource not found");
}

TEST_CASE("fetch data: every encoding", "[fetch][data]") {
  FetchFixture f;
  CHECK(f.Fetch(Source("data:,plain")) == "plain");
  CHECK(f.Fetch(Source("data:,a%20b%0Ac%25")) == "a b\nc%");
  CHECK(f.Fetch(Source("data:text/plain;charset=utf-8,%E2%82%AC")) == "\xe2\x82\xac");
  CHECK(f.Fetch(Source("data:text/plain;charset=utf-8;base64,aGVsbG8K")) == "hello\n");
  CHECK(f.Fetch(Source("data:;base64,AAEC/w==")) == std::string("\x00\x01\x02\xff", 4));
  CHECK(f.Fetch(Source("data:application/octet-stream;base64,")) == "");
  CHECK(f.Fetch(Source("DATA:,upper-case%20scheme")) == "upper-case scheme");
  // Butane's compressed form: gzip inside base64.
  schema::Resource gz = Source("data:;base64,H4sIAAAAAAAAA8tIzcnJBwCGphA2BQAAAA==");
  gz.compression = "gzip";
  CHECK(f.Fetch(gz) == "hello");
  CHECK(f.FetchError(Source("data:text/plain")) ==
        "fetching 'data:' (at $.storage.files.0.contents): malformed data URL: incomplete media type");
}

TEST_CASE("fetch s3 and gs: anonymous GETs to the (overridden) endpoints", "[fetch][s3][gcs]") {
  TempDir files;
  files.Write("bucket/dir/config.ign", "from s3");
  files.Write("gbucket/dir/obj.ign", "from gcs");
  HttpServer server(files.path());
  agent::FetcherOptions options;
  std::string endpoint = "http://127.0.0.1:" + std::to_string(server.port());
  options.env = agent::FakeEnv({{"FLINT_S3_ENDPOINT", endpoint}, {"FLINT_GCS_ENDPOINT", endpoint}});
  FetchFixture f(options);
  f.Configure(0, 10);
  CHECK(f.Fetch(Source("s3://bucket/dir/config.ign")) == "from s3");
  CHECK(f.Fetch(Source("arn:aws:s3:::bucket/dir/config.ign")) == "from s3");
  CHECK(f.Fetch(Source("gs://gbucket/dir/obj.ign")) == "from gcs");
  CHECK(f.FetchError(Source("s3://bucket/none")) ==
        "fetching 's3://bucket/none' (at $.storage.files.0.contents): resource not found");
  std::string requests = server.RequestLog();
  CHECK_THAT(requests, Catch::Contains("\"path\": \"/bucket/dir/config.ign\""));
  CHECK_THAT(requests, Catch::Contains("\"path\": \"/storage/v1/b/gbucket/o/dir%2Fobj.ign?alt=media\""));
  CHECK_THAT(f.LogText(), Catch::Contains("INFO: fetching s3://bucket/dir/config.ign anonymously from " + endpoint +
                                          "/bucket/dir/config.ign"));
}

TEST_CASE("fetch for providers: GET with headers, 404 as nothing, PUT", "[fetch][provider]") {
  FetchFixture f;
  f.files().Write("computeMetadata/v1/instance/attributes/user-data", "{\"ignition\":{}}");
  HttpServer server(f.files().path());
  f.Configure(0, 10);
  agent::HttpRequest get;
  get.url = server.Url("computeMetadata/v1/instance/attributes/user-data");
  get.headers = {{"Metadata-Flavor", "Google"}};
  get.what = "the gcp user data";
  CHECK(f.fetcher().FetchHttp(get) == "{\"ignition\":{}}");
  CHECK_THAT(server.RequestLog(), Catch::Contains("[\"Metadata-Flavor\", \"Google\"]"));
  get.url = server.Url("computeMetadata/v1/instance/attributes/nothing");
  CHECK_FALSE(f.fetcher().FetchHttp(get).has_value());
  agent::HttpRequest put;
  put.url = server.Url("latest/api/token");
  put.method = "PUT";
  put.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
  put.what = "the IMDSv2 token";
  CHECK(f.fetcher().FetchHttp(put) == "imds-token");
  agent::HttpRequest denied;
  denied.url = server.Url("status/403");
  denied.what = "the aws user data";
  try {
    f.fetcher().FetchHttp(denied);
    FAIL("403 accepted");
  } catch (const agent::Failure& e) {
    CHECK(std::string(e.what()) == "fetching the aws user data '" + denied.url +
                                       "': failed to fetch resource: the server answered HTTP 403 Forbidden");
  }
}

TEST_CASE("fetch for providers: from a source port below 1024 (scaleway)", "[fetch][provider]") {
  if (::geteuid() != 0) {
    WARN("binding a port below 1024 needs root: skipped");
    return;
  }
  FetchFixture f;
  f.files().Write("user_data/cloud-init", "SCW");
  HttpServer server(f.files().path());
  f.Configure(0, 10);
  agent::HttpRequest get{server.Url("user_data/cloud-init"), "GET", {}, {}, "the scaleway user data", true};
  for (int i = 0; i < 3; ++i) CHECK(f.fetcher().FetchHttp(get) == "SCW");
  get.privileged_source_port = false;
  CHECK(f.fetcher().FetchHttp(get) == "SCW");
  std::vector<int> ports;
  std::istringstream log(server.RequestLog());
  for (std::string line; std::getline(log, line);) ports.push_back(nlohmann::json::parse(line)["client_port"]);
  REQUIRE(ports.size() == 4);
  for (int i = 0; i < 3; ++i) {
    CHECK(ports[i] >= 1);
    CHECK(ports[i] <= 1023);
  }
  CHECK(ports[3] >= 1024);  // an ordinary request: an ephemeral port
}

}  // namespace
}  // namespace flint::testing
