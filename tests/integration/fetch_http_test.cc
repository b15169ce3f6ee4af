// The fetcher against a real HTTP server on 127.0.0.1: retries with
// backoff, resets mid-body, timeouts, statuses, hashes, gzip, headers,
// redirects, and a bearer token that must never reach a log line.

#include <catch2/catch.hpp>

#include "agent/fetch/gzip_for_tests.h"
#include "agent/fetch/hash.h"
#include "tests/integration/fetch_fixture.h"

namespace flint::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string Sha512(std::string_view bytes) {
  agent::Hasher h("sha512");
  h.Update(bytes);
  return h.HexDigest();
}

std::string Payload(size_t size) {
  std::string s;
  for (size_t i = 0; s.size() < size; ++i) s += "line " + std::to_string(i) + " of the payload\n";
  s.resize(size);
  return s;
}

TEST_CASE("fetch http: 500 three times, then 200: success after three retries", "[fetch][http]") {
  FetchFixture f;
  f.files().Write("worker.ign", "{\"ignition\":{\"version\":\"3.2.0\"}}");
  HttpServer server(f.files().path());
  f.Configure(0, 30);
  std::string url = server.Url("fail/3/a/worker.ign");
  CHECK(f.Fetch(Source(url)) == "{\"ignition\":{\"version\":\"3.2.0\"}}");
  CHECK(Occurrences(server.RequestLog(), "\"GET\"") == 4);
  std::string log = f.LogText();
  INFO(log);
  CHECK(log.find("INFO: GET " + url + ": attempt #1") != std::string::npos);
  CHECK(log.find("WARNING: GET " + url + ": attempt #1 failed: the server answered HTTP 500 Internal Server Error; "
                 "next try in 0.") != std::string::npos);
  CHECK(log.find("WARNING: GET " + url + ": attempt #3 failed: the server answered HTTP 500 Internal Server Error; "
                 "next try in ") != std::string::npos);
  CHECK(log.find("attempt #4 failed") == std::string::npos);
  CHECK(log.find("INFO: GET " + url + ": HTTP 200 OK, 32 bytes in ") != std::string::npos);
}

TEST_CASE("fetch http: a connection reset mid-body is retried and the sink starts over", "[fetch][http]") {
  FetchFixture f;
  std::string payload = Payload(300000);
  f.files().Write("big", payload);
  HttpServer server(f.files().path());
  f.Configure(0, 30);
  schema::Resource r = Source(server.Url("reset/2/b/big"));
  r.verification.hash = "sha512-" + Sha512(payload);
  std::string got = f.Fetch(r);
  CHECK(got.size() == payload.size());
  CHECK(got == payload);
  std::string log = f.LogText();
  INFO(log);
  CHECK(Occurrences(log, ": attempt #") == 3 + 2);  // 3 attempts, 2 failures
  CHECK(log.find("failed: the connection to 127.0.0.1:" + std::to_string(server.port()) + " broke after ") !=
        std::string::npos);
}

TEST_CASE("fetch http: slow headers hit the per-attempt timeout, bounded by httpTotal", "[fetch][http]") {
  FetchFixture f;
  f.files().Write("x", "x");
  HttpServer server(f.files().path());
  f.Configure(1, 5);
  auto start = Clock::now();
  std::string error = f.FetchError(Source(server.Url("slow/30/x")));
  double took = SecondsSince(start);
  CHECK(took < 7.5);
  CHECK(took > 4.0);
  CHECK_THAT(error, Catch::StartsWith("fetching '" + server.Url("slow/30/x") +
                                      "' (at $.storage.files.0.contents): gave up after "));
  // The deadline ends either between attempts or during one (which then
  // says it was still waiting): the per-attempt timeout is named either way.
  CHECK_THAT(error, Catch::Contains("attempts within timeouts.httpTotal (5s)"));
  CHECK_THAT(error, Catch::Contains("no response headers from 127.0.0.1:" + std::to_string(server.port()) +
                                    " within 1s (timeouts.httpResponseHeaders)"));
  CHECK(Occurrences(f.LogText(), "within 1s (timeouts.httpResponseHeaders); next try in") >= 2);
}

TEST_CASE("fetch http: the deadline says what the attempt it cut short was doing", "[fetch][http]") {
  FetchFixture f;
  f.files().Write("x", "x");
  HttpServer server(f.files().path());
  f.Configure(10, 1);  // httpTotal ends first, while the headers are awaited
  std::string error = f.FetchError(Source(server.Url("slow/5/x")));
  CHECK(error == "fetching '" + server.Url("slow/5/x") +
                     "' (at $.storage.files.0.contents): gave up after 1 attempt within timeouts.httpTotal (1s): "
                     "attempt #1 was still waiting for the response headers from 127.0.0.1:" +
                     std::to_string(server.port()));
}

TEST_CASE("fetch http: a slow server within the header timeout is waited for", "[fetch][http]") {
  FetchFixture f;
  f.files().Write("x", "patience");
  HttpServer server(f.files().path());
  f.Configure(3, 10);
  CHECK(f.Fetch(Source(server.Url("slow/1.5/x"))) == "patience");
  CHECK(f.LogText().find("WARNING") == std::string::npos);
}

TEST_CASE("fetch http: httpTotal bounds a server that keeps failing", "[fetch][http]") {
  FetchFixture f;
  HttpServer server(f.files().path());
  f.Configure(0, 2);
  auto start = Clock::now();
  std::string error = f.FetchError(Source(server.Url("fail/1000/c/x")));
  double took = SecondsSince(start);
  CHECK(took < 3.0);
  CHECK_THAT(error, Catch::Matches(".*: gave up after [0-9]+ attempts within timeouts.httpTotal \\(2s\\); last error: "
                                   "the server answered HTTP 500 Internal Server Error"));
}

TEST_CASE("fetch http: -fetch-timeout bounds the whole fetch too", "[fetch][http]") {
  agent::FetcherOptions options;
  options.fetch_timeout = 1'500'000'000;
  FetchFixture f(options);
  HttpServer server(f.files().path());
  f.Configure(0, 0);
  auto start = Clock::now();
  std::string error = f.FetchError(Source(server.Url("fail/1000/d/x")));
  CHECK(SecondsSince(start) < 2.5);
  CHECK_THAT(error, Catch::Contains("attempts within -fetch-timeout (1.5s); last error: the server answered HTTP 500"));
}

TEST_CASE("fetch http: 404 is 'resource not found' at once; other 4xx fail with the status", "[fetch][http]") {
  FetchFixture f;
  HttpServer server(f.files().path());
  f.Configure(0, 30);
  CHECK(f.FetchError(Source(server.Url("files/missing.ign"))) ==
        "fetching '" + server.Url("files/missing.ign") + "' (at $.storage.files.0.contents): resource not found");
  CHECK(f.FetchError(Source(server.Url("status/403"))) ==
        "fetching '" + server.Url("status/403") +
            "' (at $.storage.files.0.contents): failed to fetch resource: the server answered HTTP 403 Forbidden");
  CHECK(Occurrences(server.RequestLog(), "\"GET\"") == 2);  // neither was retried
}

TEST_CASE("fetch http: connection refused names the address and is retried until the deadline", "[fetch][http]") {
  FetchFixture f;
  f.Configure(0, 1);
  int port = FreePort();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/config";
  std::string error = f.FetchError(Source(url));
  CHECK_THAT(error, Catch::Matches("fetching '" + url + "' \\(at \\$.storage.files.0.contents\\): gave up after [0-9]+ "
                                   "attempts within timeouts.httpTotal \\(1s\\); last error: connection refused by "
                                   "127.0.0.1:" + std::to_string(port)));
  CHECK(f.LogText().find("failed: connection refused by 127.0.0.1:" + std::to_string(port) + "; next try in") !=
        std::string::npos);
}

TEST_CASE("fetch http: hash verification over the body", "[fetch][http]") {
  FetchFixture f;
  std::string payload = Payload(100000);
  f.files().Write("p", payload);
  HttpServer server(f.files().path());
  f.Configure(0, 30);
  schema::Resource r = Source(server.Url("files/p"));
  r.verification.hash = "sha512-" + Sha512(payload);
  CHECK(f.Fetch(r) == payload);
  std::string wrong = Sha512("something else");
  r.verification.hash = "sha512-" + wrong;
  CHECK(f.FetchError(r) == "fetching '" + server.Url("files/p") +
                               "' (at $.storage.files.0.contents): hash verification failed (calculated " +
                               Sha512(payload) + " but expected " + wrong + ")");
}

TEST_CASE("fetch http: gzip is decompressed and hashed after decompression; a bomb is stopped", "[fetch][http]") {
  agent::FetcherOptions options;
  options.max_decompressed_bytes = 2 << 20;
  FetchFixture f(options);
  std::string payload = Payload(1 << 20);
  f.files().Write("p.gz", agent::testing::Gzip(payload));
  f.files().Write("bomb.gz", agent::testing::Gzip(std::string(64 << 20, '\0'), 9));
  HttpServer server(f.files().path());
  f.Configure(0, 30);
  schema::Resource r = Source(server.Url("files/p.gz"));
  r.compression = "gzip";
  r.verification.hash = "sha512-" + Sha512(payload);
  CHECK(f.Fetch(r) == payload);
  schema::Resource bomb = Source(server.Url("files/bomb.gz"));
  bomb.compression = "gzip";
  CHECK(f.FetchError(bomb) == "fetching '" + server.Url("files/bomb.gz") +
                                  "' (at $.storage.files.0.contents): gzip: refusing to decompress more than 2 MiB "
                                  "(the data expands beyond the limit)");
  schema::Resource plain = Source(server.Url("files/p.gz"));
  f.files().Write("not-gzip", "plain text");
  plain.source = server.Url("files/not-gzip");
  plain.compression = "gzip";
  CHECK_THAT(f.FetchError(plain), Catch::EndsWith("gzip: invalid data (incorrect header check)"));
}

TEST_CASE("fetch http: flint's request headers, overridden by the config's", "[fetch][http]") {
  FetchFixture f;
  HttpServer server(f.files().path());
  f.Configure(0, 30);
  std::string echoed = f.Fetch(Source(server.Url("echo")));
  CHECK_THAT(echoed, Catch::Contains(std::string("[\"User-Agent\", \"flint/") + FLINT_VERSION + "\"]"));
  CHECK_THAT(echoed, Catch::Contains(
                         "[\"Accept\", \"application/vnd.coreos.ignition+json;version=3.6.0, */*;q=0.1\"]"));
  CHECK_THAT(echoed, Catch::Contains("[\"Accept-Encoding\", \"identity\"]"));
  schema::Resource r = Source(server.Url("echo"));
  r.http_headers = {{"Accept", "application/json"}, {"X-Cluster", "okd"}};
  echoed = f.Fetch(r);
  CHECK_THAT(echoed, Catch::Contains("[\"Accept\", \"application/json\"]"));
  CHECK(echoed.find("vnd.coreos.ignition") == std::string::npos);
  CHECK_THAT(echoed, Catch::Contains("[\"X-Cluster\", \"okd\"]"));
}

TEST_CASE("fetch http: redirects are followed without the config's headers", "[fetch][http]") {
  FetchFixture f;
  HttpServer server(f.files().path());
  f.Configure(0, 30);
  schema::Resource r = Source(server.Url("redirect/302/echo"));
  r.http_headers = {{"Authorization", "Bearer tok-redirect-1234"}, {"Accept", "application/json"}};
  std::string echoed = f.Fetch(r);
  // The redirected request carries flint's defaults only.
  CHECK(echoed.find("Authorization") == std::string::npos);
  CHECK_THAT(echoed, Catch::Contains("vnd.coreos.ignition"));
  std::string requests = server.RequestLog();
  CHECK(Occurrences(requests, "tok-redirect-1234") == 1);  // the first request only
  CHECK(Occurrences(requests, "\"path\": \"/echo\"") == 1);
  CHECK(f.LogText().find("HTTP 302 Found, following the redirect to " + server.Url("echo") +
                         " without the config's headers") != std::string::npos);
  // 307 and 308 too; too many redirects and non-HTTP targets are refused.
  CHECK_THAT(f.Fetch(Source(server.Url("redirect/307/echo"))), Catch::Contains("flint/"));
  CHECK_THAT(f.Fetch(Source(server.Url("redirect/308/redirect/301/echo"))), Catch::Contains("flint/"));
  std::string loop = "redirect/302/redirect/302/redirect/302/redirect/302/redirect/302/redirect/302/"
                     "redirect/302/redirect/302/redirect/302/redirect/302/redirect/302/echo";
  CHECK_THAT(f.FetchError(Source(server.Url(loop))), Catch::EndsWith("stopped after 10 redirects"));
  CHECK_THAT(f.FetchError(Source(server.Url("redirect-abs/302?to=file:///etc/shadow"))),
             Catch::EndsWith("refusing to follow a redirect to 'file:///etc/shadow' (only http and https)"));
}

TEST_CASE("fetch http: a retry after a redirect starts again from the original URL and headers", "[fetch][http]") {
  FetchFixture f;
  f.files().Write("w", "worker config");
  HttpServer server(f.files().path());
  f.Configure(0, 30);
  schema::Resource r = Source(server.Url("redirect/302/fail/2/r/w"));
  r.http_headers = {{"X-Attempt-Token", "abc"}};
  CHECK(f.Fetch(r) == "worker config");
  std::string requests = server.RequestLog();
  CHECK(Occurrences(requests, "\"path\": \"/redirect/302/fail/2/r/w\"") == 3);
  CHECK(Occurrences(requests, "\"path\": \"/fail/2/r/w\"") == 3);
  CHECK(Occurrences(requests, "X-Attempt-Token") == 3);  // on each original request, never on the redirected ones
}

TEST_CASE("fetch http: a bearer token never appears in any log line or error", "[fetch][http]") {
  const std::string token = "hcp-secret-token-5f2a9c";
  FetchFixture f;
  f.files().Write("worker", "{}");
  HttpServer server(f.files().path());
  f.Configure(1, 3);
  std::vector<std::string> errors;
  for (std::string path : {"fail/2/t/worker", "status/401", "files/none", "slow/9/worker", "redirect/302/files/worker"}) {
    schema::Resource r = Source(server.Url(path));
    r.http_headers = {{"Authorization", "Bearer " + token}};
    errors.push_back(f.FetchError(r));
  }
  CHECK(errors[0] == "(no failure)");
  CHECK(errors[4] == "(no failure)");
  std::string everything = f.LogText();
  for (const std::string& e : errors) everything += "\n" + e;
  INFO(everything);
  CHECK(everything.find(token) == std::string::npos);
  CHECK(everything.find("Bearer") == std::string::npos);
  CHECK(Occurrences(server.RequestLog(), token) >= 5);  // it was sent, though
}

}  // namespace
}  // namespace flint::testing
