// Turning what a failed libcurl transfer left behind into one precise
// sentence: DNS failure (name and resolver), connection refused or timed out
// (address:port), TLS (unknown authority; expired or not yet valid, with the
// validity window and the local clock; wrong name), a broken connection.
// Pure: the facts are gathered by the caller.
#pragma once

#include <string>
#include <vector>

#include "agent/duration.h"
#include "agent/fetch/tls.h"

namespace flint::agent {

struct TransferFacts {
  int curl_code = 0;         // CURLcode
  std::string curl_message;  // curl's error buffer
  std::string host;          // of the URL, without brackets
  std::string port;
  std::string proxy;         // redacted proxy URL; "" when direct
  std::vector<std::string> nameservers;  // from resolv.conf
  std::string resolv_conf = "/etc/resolv.conf";
  int os_errno = 0;          // CURLINFO_OS_ERRNO
  std::string remote_ip;     // CURLINFO_PRIMARY_IP, when known
  bool connected = false;    // a TCP connection was made
  Nanoseconds connect_timeout = 0;
  uint64_t body_bytes = 0;   // received before the failure
  TlsFacts tls;
  std::string missing_trust_store;  // the system CA bundle, when it does not exist
  std::string local_time;    // FormatUtc(now), for certificate validity
};

// The cause, e.g. "connection refused by 10.0.0.1:22623".
std::string DescribeTransferError(const TransferFacts& facts);

// The nameserver addresses of a resolv.conf text.
std::vector<std::string> ParseNameservers(std::string_view resolv_conf);

}  // namespace flint::agent
