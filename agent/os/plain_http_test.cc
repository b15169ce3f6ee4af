#include "agent/os/plain_http.h"

#include <catch2/catch.hpp>

#include "agent/error.h"
#include "tests/tiny_http_server.h"

namespace flint::agent {
namespace {

using flint::testing::TinyHttpServer;

TEST_CASE("plain http: a PUT with headers, and the answer", "[plain_http]") {
  TinyHttpServer server([](const TinyHttpServer::Request&) { return TinyHttpServer::Response(200, "tok-123"); });
  PlainHttpRequest request;
  request.method = "PUT";
  request.url = server.url() + "/latest/api/token";
  request.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
  PlainHttpResponse response = SendPlainHttp(request);
  CHECK(response.status == 200);
  CHECK(response.body == "tok-123");
  REQUIRE(server.requests().size() == 1);
  TinyHttpServer::Request seen = server.requests()[0];
  CHECK(seen.method == "PUT");
  CHECK(seen.target == "/latest/api/token");
  CHECK(seen.headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600");
  CHECK(seen.headers["content-length"] == "0");
  CHECK(seen.headers["host"] == server.url().substr(7));
  CHECK(seen.headers["user-agent"] == "flint/" FLINT_VERSION);
}

TEST_CASE("plain http: status codes are answers; bodies are de-chunked", "[plain_http]") {
  TinyHttpServer server([](const TinyHttpServer::Request& r) {
    if (r.target == "/chunked") {
      return std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n");
    }
    if (r.target == "/close") return std::string("HTTP/1.0 200 OK\r\n\r\nuntil close");
    return TinyHttpServer::Response(404, "no");
  });
  PlainHttpRequest request;
  request.url = server.url() + "/missing?x=1";
  PlainHttpResponse missing = SendPlainHttp(request);
  CHECK(missing.status == 404);
  CHECK(server.requests()[0].target == "/missing?x=1");
  request.url = server.url() + "/chunked";
  CHECK(SendPlainHttp(request).body == "Wikipedia");
  request.url = server.url() + "/close";
  CHECK(SendPlainHttp(request).body == "until close");
}

TEST_CASE("plain http: a chosen local port", "[plain_http]") {
  TinyHttpServer server([](const TinyHttpServer::Request&) { return TinyHttpServer::Response(200, ""); });
  PlainHttpRequest request;
  request.url = server.url() + "/";
  request.local_port = 40000 + static_cast<int>(::getpid() % 20000);
  SendPlainHttp(request);
  CHECK(server.requests()[0].client_port == request.local_port);
}

TEST_CASE("plain http: transport errors name the URL", "[plain_http]") {
  PlainHttpRequest request;
  request.url = "http://127.0.0.1:1/x";
  CHECK_THROWS_WITH(SendPlainHttp(request), "connecting 'http://127.0.0.1:1/x': Connection refused");
  request.url = "https://127.0.0.1/x";
  CHECK_THROWS_WITH(SendPlainHttp(request), "requesting 'https://127.0.0.1/x': only http:// URLs are supported here");
  TinyHttpServer garbage([](const TinyHttpServer::Request&) { return std::string("SSH-2.0-OpenSSH\r\n"); });
  request.url = garbage.url() + "/";
  CHECK_THROWS_WITH(SendPlainHttp(request), Catch::Contains("not an HTTP response"));
}

}  // namespace
}  // namespace flint::agent
