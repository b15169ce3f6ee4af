// http:// and https:// sources through libcurl: flint's default request
// headers (the config's override them by name), redirects followed by hand
// with the config's headers dropped, transport errors and 5xx retried (see
// retry.h), a response-header timeout per attempt, 404 as "resource not
// found". The settings also serve tftp (tftp.h).
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "agent/duration.h"
#include "agent/fetch/decoding_sink.h"
#include "agent/fetch/proxy.h"
#include "agent/fetch/retry.h"
#include "agent/fetch/tls.h"
#include "schema/model.h"

namespace flint::agent {

class Log;

inline constexpr Nanoseconds kSecond = 1'000'000'000;
inline constexpr Nanoseconds kDefaultHeaderTimeout = 10 * kSecond;  // upstream's httpResponseHeaders default
inline constexpr Nanoseconds kConnectTimeout = 30 * kSecond;        // upstream's dialer timeout
inline constexpr int kMaxRedirects = 10;                            // as Go's http.Client

struct HttpSettings {
  Nanoseconds header_timeout = kDefaultHeaderTimeout;  // timeouts.httpResponseHeaders
  Nanoseconds total_timeout = 0;                       // timeouts.httpTotal; 0: none
  Nanoseconds fetch_timeout = 0;                       // -fetch-timeout; 0: none
  ProxyConfig proxy;
  std::shared_ptr<const std::vector<X509Ptr>> extra_cas;  // certificateAuthorities
  std::string resolv_conf = "/etc/resolv.conf";
  std::string ca_bundle;  // the system trust store; "": libcurl's default
};

struct HttpFetch {
  std::string url;
  std::string method = "GET";
  std::vector<schema::HttpHeader> headers;  // the config's httpHeaders
  std::vector<long> retry_statuses;         // retried besides >= 500
  bool privileged_source_port = false;      // each attempt from a random local port below 1024
};

// The default headers: User-Agent flint/<version>, Accept for Ignition
// configs (the machine-config server picks the spec version from it),
// Accept-Encoding identity; `custom` replaces those of the same name
// (case-insensitive) and adds the rest, as "Name: value" lines. Throws
// FetchError for a header name or value that would break the request (its
// value is never quoted). Pure.
std::vector<std::string> RequestHeaderLines(const std::vector<schema::HttpHeader>& custom);

// Fetches `fetch` into `sink` (the body of a 200 or 204), then sink.Finish(). Throws FetchError (not found, HTTP status, gave up) or
// ContentError (gzip, hash, limit; never retried) or whatever the sink throws.
// `random` returns values in [0, 1) for the backoff jitter.
void HttpGet(const HttpFetch& fetch, const HttpSettings& settings, Log& log, const std::function<double()>& random,
             DecodingSink& sink);

}  // namespace flint::agent
