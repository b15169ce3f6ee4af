// HTTP proxies: a real tinyproxy between flint and the server, noProxy
// exemptions, loopback never proxied (as Go's httpproxy), a proxy that is
// down. The target 0.0.0.0 reaches the local server without being a
// loopback address, so Go's rules send it through the proxy.

#include <catch2/catch.hpp>

#include "tests/integration/fetch_fixture.h"

namespace flint::testing {
namespace {

schema::Proxy Proxy(const std::string& url, std::vector<std::string> no_proxy = {}) {
  schema::Proxy p;
  p.http_proxy = url;
  p.https_proxy = url;
  p.no_proxy = std::move(no_proxy);
  return p;
}

TEST_CASE("fetch proxy: http through tinyproxy", "[fetch][proxy]") {
  FetchFixture f;
  HttpServer server(f.files().path());
  TinyProxy proxy;
  f.Configure(0, 10, {}, Proxy(proxy.Url()));
  std::string echoed = f.Fetch(Source(server.Url("echo", "0.0.0.0")));
  CHECK_THAT(echoed, Catch::Contains("(tinyproxy/"));
}

TEST_CASE("fetch proxy: noProxy entries and loopback addresses go direct", "[fetch][proxy]") {
  FetchFixture f;
  HttpServer server(f.files().path());
  TinyProxy proxy;
  for (std::vector<std::string> no_proxy : std::vector<std::vector<std::string>>{
           {"0.0.0.0"}, {"0.0.0.0/8"}, {"example.com,0.0.0.0:" + std::to_string(server.port())}, {"*"}}) {
    f.Configure(0, 10, {}, Proxy(proxy.Url(), no_proxy));
    INFO(no_proxy[0]);
    CHECK(f.Fetch(Source(server.Url("echo", "0.0.0.0"))).find("Via") == std::string::npos);
  }
  // A port that does not match keeps the proxy.
  f.Configure(0, 10, {}, Proxy(proxy.Url(), {"0.0.0.0:1"}));
  CHECK_THAT(f.Fetch(Source(server.Url("echo", "0.0.0.0"))), Catch::Contains("tinyproxy"));
  f.Configure(0, 10, {}, Proxy(proxy.Url()));
  CHECK(f.Fetch(Source(server.Url("echo"))).find("Via") == std::string::npos);
  CHECK(f.Fetch(Source(server.Url("echo", "localhost"))).find("Via") == std::string::npos);
}

TEST_CASE("fetch proxy: https is tunnelled through the proxy with CONNECT", "[fetch][proxy]") {
  FetchFixture f;
  f.files().Write("w", "tunnelled");
  HttpServer server(f.files().path(), "good");
  TinyProxy proxy;
  f.Configure(0, 10, {DataCa("ca.crt")}, Proxy(proxy.Url()));
  CHECK(f.Fetch(Source(server.Url("files/w", "0.0.0.0"))) == "tunnelled");
  CHECK_THAT(proxy.Log(), Catch::Contains("CONNECT"));
}

TEST_CASE("fetch proxy: a proxy that is down is named in the error", "[fetch][proxy]") {
  FetchFixture f;
  HttpServer server(f.files().path());
  int port = FreePort();
  std::string proxy = "http://user:pw@127.0.0.1:" + std::to_string(port);
  f.Configure(0, 1, {}, Proxy(proxy));
  std::string error = f.FetchError(Source(server.Url("echo", "0.0.0.0")));
  CHECK_THAT(error, Catch::Contains("error: connection refused by the proxy 127.0.0.1:" + std::to_string(port)));
  CHECK(error.find("pw") == std::string::npos);
  CHECK(f.LogText().find("pw@") == std::string::npos);
}

}  // namespace
}  // namespace flint::testing
