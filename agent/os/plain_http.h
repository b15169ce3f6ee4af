// A minimal HTTP/1.1 client for the few metadata-service requests the
// Fetcher cannot express: the token PUTs of AWS IMDSv2 and Akamai, and
// Scaleway's GET from a privileged source port. Plain `http://` only (the
// metadata services are link-local HTTP), never through a proxy, one request
// per connection (`Connection: close`). Everything else goes through the
// Fetcher.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace flint::agent {

struct PlainHttpRequest {
  std::string method = "GET";
  std::string url;  // http://host[:port]/path[?query]; host may be [IPv6]
  std::vector<std::pair<std::string, std::string>> headers;
  // Bind the local end to this port (Scaleway wants one below 1024); 0: any.
  int local_port = 0;
  int timeout_ms = 10000;  // connect, and then the whole exchange
};

struct PlainHttpResponse {
  int status = 0;
  std::string body;  // de-chunked
};

// Sends the request and reads the whole response. Throws agent::Failure
// naming the URL for transport errors (refused, timed out, malformed
// answer); any HTTP status is a response.
PlainHttpResponse SendPlainHttp(const PlainHttpRequest& request);

}  // namespace flint::agent
