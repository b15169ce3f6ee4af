#include "agent/fetch/http.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "agent/fetch/backoff.h"
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

// The deadline of the whole fetch and the setting that sets it.
struct Deadline {
  Nanoseconds limit = 0;  // 0: none
  std::string name;
};

Deadline WholeFetchDeadline(const HttpSettings& s) {
  Deadline d;
  if (s.total_timeout > 0) d = {s.total_timeout, "timeouts.httpTotal"};
  if (s.fetch_timeout > 0 && (d.limit == 0 || s.fetch_timeout < d.limit)) d = {s.fetch_timeout, "-fetch-timeout"};
  return d;
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

std::string Plural(int n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

// Said when the deadline ran out during an attempt or would before the next.
std::string GaveUp(int attempts, const Deadline& deadline) {
  return "gave up after " + Plural(attempts, "attempt") + " within " + deadline.name + " (" +
         FormatGoDuration(deadline.limit) + ")";
}

// What Go's client does with the method on a redirect.
std::string RedirectMethod(const std::string& method, long status) {
  if (status == 303 || ((status == 301 || status == 302) && method != "GET" && method != "HEAD")) return "GET";
  return method;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

std::string ShortSeconds(Nanoseconds d) {
  long tenths = static_cast<long>((d + 50'000'000) / 100'000'000);
  char buf[32];
  if (tenths % 10 == 0) {
    std::snprintf(buf, sizeof buf, "%lds", tenths / 10);
  } else {
    std::snprintf(buf, sizeof buf, "%ld.%lds", tenths / 10, tenths % 10);
  }
  return buf;
}

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

void HttpGet(const HttpFetch& fetch, const HttpSettings& settings, Log& log, const std::function<double()>& random,
             DecodingSink& sink) {
  const Clock::time_point start = Clock::now();
  const Deadline deadline = WholeFetchDeadline(settings);
  std::optional<UrlParts> first = ParseUrlParts(fetch.url);
  if (!first) throw FetchError(FetchError::Kind::kFailed, "the URL cannot be parsed");
  const bool tftp = first->scheme == "tftp";

  std::string url = fetch.url;
  std::string method = fetch.method;
  std::vector<std::string> header_lines = RequestHeaderLines(fetch.headers);
  int redirects = 0;
  std::string last_error;
  bool dirty = false;  // the sink holds bytes of a failed attempt

  for (int attempt = 1;; ++attempt) {
    std::string shown = RedactUrl(url);
    std::optional<UrlParts> parts = ParseUrlParts(url);
    if (!parts) throw FetchError(FetchError::Kind::kFailed, "the URL '" + shown + "' cannot be parsed");

    TransferRequest req;
    req.url = url;
    req.method = method;
    req.resolv_conf = settings.resolv_conf;
    req.extra_cas = settings.extra_cas.get();
    if (tftp) {
      req.protocols = "tftp";
      req.connect_timeout = settings.header_timeout;
    } else {
      req.header_lines = header_lines;
      req.proxy = ProxyForRequest(settings.proxy, parts->scheme, parts->host, parts->port);
      req.connect_timeout = kConnectTimeout;
      req.header_timeout = settings.header_timeout;
    }
    if (deadline.limit > 0) {
      req.time_left = deadline.limit - Since(start);
      if (req.time_left <= 0) req.time_left = 1'000'000;
      req.connect_timeout = std::min(req.connect_timeout, req.time_left);
    }
    if (dirty) {
      sink.Reset();
      dirty = false;
    }

    log.Info((tftp ? "TFTP GET " : method + " ") + shown + ": attempt #" + std::to_string(attempt));
    auto deliver = [tftp](long status) { return tftp || status == 200 || status == 204; };
    TransferResult r = Transfer(req, deliver, [&](std::string_view chunk) { sink.Write(chunk); });
    dirty = r.body_bytes > 0;

    std::string error;
    switch (r.kind) {
      case TransferResult::Kind::kBodyError:
        std::rethrow_exception(r.body_error);
      case TransferResult::Kind::kDeadline:
        throw FetchError(FetchError::Kind::kFailed,
                         GaveUp(attempt, deadline) + (last_error.empty() ? "" : "; last error: " + last_error));
      case TransferResult::Kind::kHeaderTimeout:
        error = "no response headers from " + HostPort(parts->host, parts->port) + " within " +
                FormatGoDuration(settings.header_timeout) + " (timeouts.httpResponseHeaders)";
        break;
      case TransferResult::Kind::kTransportError:
        error = r.facts.curl_code == CURLE_TFTP_NOTFOUND ? "" : DescribeTransferError(r.facts);
        if (r.facts.curl_code == CURLE_TFTP_NOTFOUND) throw FetchError(FetchError::Kind::kNotFound, "resource not found");
        if (r.facts.curl_code == CURLE_UNSUPPORTED_PROTOCOL || r.facts.curl_code == CURLE_TFTP_PERM ||
            r.facts.curl_code == CURLE_TFTP_ILLEGAL || r.facts.curl_code == CURLE_URL_MALFORMAT)
          throw FetchError(FetchError::Kind::kFailed, error);
        break;
      case TransferResult::Kind::kDone:
        if (tftp || r.status == 200 || r.status == 204) {
          sink.Finish();
          log.Info((tftp ? "TFTP GET " : method + " ") + shown + ": " + (tftp ? "done" : StatusText(r.status)) +
                   ", " + std::to_string(r.body_bytes) + " bytes in " + ShortSeconds(Since(start)));
          return;
        }
        if (IsRedirect(r.status) && !r.redirect_url.empty()) {
          if (++redirects > kMaxRedirects) {
            throw FetchError(FetchError::Kind::kFailed, "stopped after " + std::to_string(kMaxRedirects) + " redirects");
          }
          std::optional<UrlParts> next = ParseUrlParts(r.redirect_url);
          if (!next || (next->scheme != "http" && next->scheme != "https")) {
            throw FetchError(FetchError::Kind::kFailed,
                             "refusing to follow a redirect to '" + RedactUrl(r.redirect_url) + "' (only http and https)");
          }
          log.Info(method + " " + shown + ": " + StatusText(r.status) + ", following the redirect to " +
                   RedactUrl(r.redirect_url) + " without the config's headers");
          url = r.redirect_url;
          method = RedirectMethod(method, r.status);
          header_lines = RequestHeaderLines({});
          --attempt;  // a redirect is not a failed attempt
          continue;
        }
        if (r.status == 404) throw FetchError(FetchError::Kind::kNotFound, "resource not found");
        if (!Retryable(r.status, fetch)) {
          throw FetchError(FetchError::Kind::kFailed, "failed to fetch resource: the server answered " + StatusText(r.status));
        }
        error = "the server answered " + StatusText(r.status);
        break;
    }

    last_error = error;
    Nanoseconds delay = BackoffDelay(attempt, random());
    if (deadline.limit > 0 && Since(start) + delay >= deadline.limit) {
      throw FetchError(FetchError::Kind::kFailed, GaveUp(attempt, deadline) + "; last error: " + last_error);
    }
    log.Warning((tftp ? "TFTP GET " : method + " ") + shown + ": attempt #" + std::to_string(attempt) + " failed: " +
                error + "; next try in " + ShortSeconds(delay));
    std::this_thread::sleep_for(std::chrono::nanoseconds(delay));
    // Like upstream's client, a retry starts again from the original request.
    url = fetch.url;
    method = fetch.method;
    header_lines = RequestHeaderLines(fetch.headers);
    redirects = 0;
  }
}

}  // namespace flint::agent
