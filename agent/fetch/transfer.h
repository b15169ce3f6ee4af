// One libcurl transfer: a single attempt at one URL, redirects not followed,
// the body streamed to a callback only for the statuses the caller wants.
// Bounded by a connect timeout, a response-header timeout (measured from the
// moment the request is sent, as Go's ResponseHeaderTimeout) and the time
// left for the whole fetch. Never blocks longer than those.
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/duration.h"
#include "agent/fetch/tls.h"
#include "agent/fetch/transfer_error.h"

namespace flint::agent {

struct TransferRequest {
  std::string url;
  std::string method = "GET";
  std::vector<std::string> header_lines;  // "Name: value"
  std::string proxy;                      // libcurl form; "" for direct (proxy env vars are ignored)
  std::string protocols = "http,https";   // CURLOPT_PROTOCOLS_STR
  Nanoseconds connect_timeout = 0;
  Nanoseconds header_timeout = 0;         // 0: none
  Nanoseconds time_left = 0;              // 0: no deadline
  const std::vector<X509Ptr>* extra_cas = nullptr;
  std::string ca_bundle;                  // CURLOPT_CAINFO; "": libcurl's default
  std::string resolv_conf = "/etc/resolv.conf";
  // Bind the local end to a port in [local_port, local_port + local_port_range)
  // (Scaleway's metadata service wants one below 1024); 0: any port.
  int local_port = 0;
  int local_port_range = 1;
};

struct TransferResult {
  enum class Kind {
    kDone,            // a response (any status) or, for tftp, the whole file
    kTransportError,  // facts say what
    kHeaderTimeout,   // no response headers within header_timeout
    kDeadline,        // time_left ran out
    kBodyError,       // on_body threw: `body_error`
  };
  Kind kind = Kind::kDone;
  long status = 0;
  std::string redirect_url;  // absolute, for 3xx with a Location
  uint64_t body_bytes = 0;   // delivered to on_body
  bool headers_received = false;
  // kTransportError: what went wrong; kDeadline: host, port, connected and
  // body_bytes, to say where the attempt was cut short.
  TransferFacts facts;
  std::exception_ptr body_error;
};

// Performs `request`. Body bytes of a response whose status satisfies
// `deliver` go to `on_body` (anything it throws ends the transfer and comes
// back in body_error); other bodies are discarded.
TransferResult Transfer(const TransferRequest& request, const std::function<bool(long status)>& deliver,
                        const std::function<void(std::string_view)>& on_body);

}  // namespace flint::agent
