#include "agent/fetch/http.h"

#include <algorithm>
#include <chrono>

#include "agent/fetch/curl.h"
#include "agent/fetch/redact.h"
#include "agent/fetch/transfer.h"
#include "agent/log.h"

namespace flint::agent {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kAccept = "application/vnd.coreos.ignition+json;version=3.6.0, */*;q=0.1";

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ValidHeaderName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127 || c == ':' || c == ';') return false;
  }
  return true;
}

bool ValidHeaderValue(const std::string& value) {
  return value.find_first_of(std::string("\r\n\0", 3)) == std::string::npos;
}

Nanoseconds Since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t).count();
}

bool Retryable(long status, const HttpFetch& fetch) {
  return status >= 500 ||
         std::find(fetch.retry_statuses.begin(), fetch.retry_statuses.end(), status) != fetch.retry_statuses.end();
}

std::string StatusText(long status) {
  std::string text = "HTTP " + std::to_string(status);
  std::string_view reason = HttpStatusText(status);
  return reason.empty() ? text : text + " " + std::string(reason);
}

// What Go's client does with the method on a redirect.
std::string RedirectMethod(const std::string& method, long status) {
  if (status == 303 || ((status == 301 || status == 302) && method != "GET" && method != "HEAD")) return "GET";
  return method;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

constexpr int kPrivilegedPorts = 1024;

// Errors no retry can cure: a URL curl refuses, a trust store that cannot
// be loaded. Retrying those would only wait for the deadline.
bool IsPermanent(int curl_code) {
  return curl_code == CURLE_UNSUPPORTED_PROTOCOL || curl_code == CURLE_URL_MALFORMAT ||
         curl_code == CURLE_SSL_CACERT_BADFILE || curl_code == CURLE_SSL_CERTPROBLEM;
}

// What an attempt the deadline ended was doing.
std::string CutShort(const TransferResult& r) {
  const TransferFacts& f = r.facts;
  std::string target = f.proxy.empty() ? HostPort(f.host, f.port) : HostPort(f.host, f.port) + " through the proxy";
  if (!f.connected) return "still connecting to " + target;
  if (!r.headers_received) return "still waiting for the response headers from " + target;
  return "still receiving the body from " + target + " (" + std::to_string(r.body_bytes) + " bytes so far)";
}

}  // namespace

std::vector<std::string> RequestHeaderLines(const std::vector<schema::HttpHeader>& custom) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"User-Agent", std::string("flint/") + FLINT_VERSION},
      {"Accept", kAccept},
      {"Accept-Encoding", "identity"},
  };
  std::vector<std::pair<std::string, std::string>> extra;
  for (const schema::HttpHeader& h : custom) {
    if (!h.value) continue;  // a null value only deletes a parent's header when merging
    if (!ValidHeaderName(h.name)) throw FetchError(FetchError::Kind::kFailed, "invalid HTTP header name '" + h.name + "'");
    if (!ValidHeaderValue(*h.value))
      throw FetchError(FetchError::Kind::kFailed, "invalid value for HTTP header '" + h.name + "' (line breaks)");
    std::string lower = Lower(h.name);
    std::erase_if(headers, [&](const auto& d) { return Lower(d.first) == lower; });
    extra.emplace_back(h.name, *h.value);
  }
  headers.insert(headers.end(), extra.begin(), extra.end());
  std::vector<std::string> lines;
  // curl drops a header written "Name:" and sends "Name;" as an empty one.
  for (const auto& [name, value] : headers) lines.push_back(value.empty() ? name + ";" : name + ": " + value);
  return lines;
}

namespace {

// One attempt: the request and the redirects it leads to, each hop with the
// proxy its URL calls for.
class Attempt {
 public:
  Attempt(const HttpFetch& fetch, const HttpSettings& settings, Log& log, const std::function<double()>& random,
          DecodingSink& sink)
      : fetch_(fetch), settings_(settings), log_(log), random_(random), sink_(sink) {}

  AttemptResult Run(Nanoseconds time_left) {
    const Clock::time_point start = Clock::now();
    std::string url = fetch_.url;
    std::string method = fetch_.method;
    std::vector<std::string> header_lines = RequestHeaderLines(fetch_.headers);
    for (int redirects = 0;; ++redirects) {
      std::optional<UrlParts> parts = ParseUrlParts(url);
      if (!parts) throw FetchError(FetchError::Kind::kFailed, "the URL '" + RedactUrl(url) + "' cannot be parsed");
      TransferRequest req;
      req.url = url;
      req.method = method;
      req.header_lines = header_lines;
      req.proxy = ProxyForRequest(settings_.proxy, parts->scheme, parts->host, parts->port);
      req.connect_timeout = kConnectTimeout;
      req.header_timeout = settings_.header_timeout;
      req.extra_cas = settings_.extra_cas.get();
      req.ca_bundle = settings_.ca_bundle;
      req.resolv_conf = settings_.resolv_conf;
      if (fetch_.privileged_source_port) {
        // A random start, walking up to 1023 while ports are taken.
        req.local_port = 1 + static_cast<int>(random_() * (kPrivilegedPorts - 1));
        req.local_port_range = kPrivilegedPorts - req.local_port;
      }
      if (time_left > 0) {
        req.time_left = std::max<Nanoseconds>(time_left - Since(start), 1'000'000);
        req.connect_timeout = std::min(req.connect_timeout, req.time_left);
      }
      TransferResult r = Transfer(
          req, [](long status) { return status == 200 || status == 204; },
          [this](std::string_view chunk) { sink_.Write(chunk); });
      AttemptResult out;
      out.wrote = r.body_bytes > 0;
      switch (r.kind) {
        case TransferResult::Kind::kBodyError:
          std::rethrow_exception(r.body_error);
        case TransferResult::Kind::kDeadline:
          out.kind = AttemptResult::Kind::kDeadline;
          out.note = CutShort(r);
          return out;
        case TransferResult::Kind::kHeaderTimeout:
          out.kind = AttemptResult::Kind::kRetry;
          out.note = "no response headers from " + HostPort(parts->host, parts->port) + " within " +
                     FormatGoDuration(settings_.header_timeout) + " (timeouts.httpResponseHeaders)";
          return out;
        case TransferResult::Kind::kTransportError:
          if (IsPermanent(r.facts.curl_code)) throw FetchError(FetchError::Kind::kFailed, DescribeTransferError(r.facts));
          out.kind = AttemptResult::Kind::kRetry;
          out.note = DescribeTransferError(r.facts);
          return out;
        case TransferResult::Kind::kDone:
          break;
      }
      if (r.status == 200 || r.status == 204) {
        sink_.Finish();
        out.note = StatusText(r.status) + ", " + std::to_string(r.body_bytes) + " bytes";
        return out;
      }
      if (IsRedirect(r.status) && !r.redirect_url.empty()) {
        url = FollowRedirect(method, url, r, redirects);
        method = RedirectMethod(method, r.status);
        header_lines = RequestHeaderLines({});
        continue;
      }
      if (r.status == 404) throw FetchError(FetchError::Kind::kNotFound, "resource not found");
      if (!Retryable(r.status, fetch_)) {
        throw FetchError(FetchError::Kind::kFailed,
                         "failed to fetch resource: the server answered " + StatusText(r.status));
      }
      out.kind = AttemptResult::Kind::kRetry;
      out.note = "the server answered " + StatusText(r.status);
      return out;
    }
  }

 private:
  // The next URL of a redirect; refuses loops and non-HTTP targets.
  std::string FollowRedirect(const std::string& method, const std::string& from, const TransferResult& r,
                             int redirects) {
    if (redirects + 1 > kMaxRedirects)
      throw FetchError(FetchError::Kind::kFailed, "stopped after " + std::to_string(kMaxRedirects) + " redirects");
    std::optional<UrlParts> next = ParseUrlParts(r.redirect_url);
    if (!next || (next->scheme != "http" && next->scheme != "https")) {
      throw FetchError(FetchError::Kind::kFailed,
                       "refusing to follow a redirect to '" + RedactUrl(r.redirect_url) + "' (only http and https)");
    }
    log_.Info(method + " " + RedactUrl(from) + ": " + StatusText(r.status) + ", following the redirect to " +
              RedactUrl(r.redirect_url) + " without the config's headers");
    return r.redirect_url;
  }

  const HttpFetch& fetch_;
  const HttpSettings& settings_;
  Log& log_;
  const std::function<double()>& random_;
  DecodingSink& sink_;
};

}  // namespace

void HttpGet(const HttpFetch& fetch, const HttpSettings& settings, Log& log, const std::function<double()>& random,
             DecodingSink& sink) {
  RequestHeaderLines(fetch.headers);  // refuse bad headers before the first attempt
  Attempt attempt(fetch, settings, log, random, sink);
  RetryWithBackoff(fetch.method + " " + RedactUrl(fetch.url), {settings.total_timeout, settings.fetch_timeout}, log,
                   random, sink, [&](Nanoseconds time_left) { return attempt.Run(time_left); });
}

}  // namespace flint::agent
