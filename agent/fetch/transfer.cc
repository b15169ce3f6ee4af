#include "agent/fetch/transfer.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/fetch/curl.h"
#include "agent/fetch/redact.h"

namespace flint::agent {
namespace {

using Clock = std::chrono::steady_clock;

constexpr long kBufferSize = 256 * 1024;

struct State {
  const std::function<bool(long)>* deliver = nullptr;
  const std::function<void(std::string_view)>* on_body = nullptr;
  CURL* curl = nullptr;
  Clock::time_point start;
  Nanoseconds header_timeout = 0;
  bool headers_done = false;
  bool header_timed_out = false;
  long status = 0;
  uint64_t body_bytes = 0;
  std::exception_ptr body_error;
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<State*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    size_t sp = line.find(' ');
    s->status = sp == std::string_view::npos ? 0 : std::atol(std::string(line.substr(sp + 1, 3)).c_str());
  } else if ((line == "\r\n" || line == "\n") && s->status >= 200) {
    s->headers_done = true;
  }
  return size * n;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<State*>(user);
  size_t len = size * n;
  long status = 0;
  Curl().easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
  if (!(*s->deliver)(status)) return len;
  try {
    (*s->on_body)(std::string_view(data, len));
  } catch (...) {
    s->body_error = std::current_exception();
    return CURL_WRITEFUNC_ERROR;
  }
  s->body_bytes += len;
  return len;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* s = static_cast<State*>(user);
  if (s->headers_done || s->header_timeout <= 0) return 0;
  curl_off_t sent_at_us = 0;  // when the request went out, from the start
  Curl().easy_getinfo(s->curl, CURLINFO_PRETRANSFER_TIME_T, &sent_at_us);
  if (sent_at_us <= 0) return 0;
  Nanoseconds elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - s->start).count();
  if (elapsed - static_cast<Nanoseconds>(sent_at_us) * 1000 > s->header_timeout) {
    s->header_timed_out = true;
    return 1;
  }
  return 0;
}

long Millis(Nanoseconds d) { return static_cast<long>(d / 1'000'000 + (d % 1'000'000 != 0)); }

std::vector<std::string> Nameservers(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseNameservers(text.str());
}

void Check(CURLcode rc) {
  if (rc != CURLE_OK) throw std::runtime_error(std::string("curl_easy_setopt: ") + Curl().easy_strerror(rc));
}

// The system trust store: `bundle`, or libcurl's default. One that does not
// exist is an empty one, as Go's system pool is for upstream (the config's
// CAs may be all a node needs), rather than a failure of every TLS
// connection; one that exists but cannot be loaded still fails. Returns the
// missing bundle's path, "" when there is one.
std::string UseTrustStore(CURL* c, const std::string& bundle) {
  std::string file = bundle;
  char* value = nullptr;
  if (file.empty() && Curl().easy_getinfo(c, CURLINFO_CAINFO, &value) == CURLE_OK && value != nullptr) file = value;
  if (!file.empty() && std::filesystem::exists(file)) {
    if (!bundle.empty()) Check(Curl().easy_setopt(c, CURLOPT_CAINFO, bundle.c_str()));
    return "";
  }
  Check(Curl().easy_setopt(c, CURLOPT_CAINFO, nullptr));
  value = nullptr;
  if (Curl().easy_getinfo(c, CURLINFO_CAPATH, &value) == CURLE_OK && value != nullptr &&
      !std::filesystem::is_directory(value)) {
    Check(Curl().easy_setopt(c, CURLOPT_CAPATH, nullptr));
  }
  return file;
}

}  // namespace

TransferResult Transfer(const TransferRequest& r, const std::function<bool(long)>& deliver,
                        const std::function<void(std::string_view)>& on_body) {
  CurlEasy easy = NewCurlEasy();
  CURL* c = easy.get();
  State state;
  state.deliver = &deliver;
  state.on_body = &on_body;
  state.curl = c;
  state.header_timeout = r.header_timeout;
  TlsSession tls{r.extra_cas, {}};
  char errbuf[CURL_ERROR_SIZE] = {0};
  CurlSlist headers;
  for (const std::string& line : r.header_lines) AppendHeader(headers, line);

  Check(Curl().easy_setopt(c, CURLOPT_URL, r.url.c_str()));
  Check(Curl().easy_setopt(c, CURLOPT_PROTOCOLS_STR, r.protocols.c_str()));
  Check(Curl().easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L));
  Check(Curl().easy_setopt(c, CURLOPT_NOSIGNAL, 1L));
  Check(Curl().easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf));
  Check(Curl().easy_setopt(c, CURLOPT_HTTPHEADER, headers.get()));
  Check(Curl().easy_setopt(c, CURLOPT_PROXY, r.proxy.c_str()));
  Check(Curl().easy_setopt(c, CURLOPT_BUFFERSIZE, kBufferSize));
  if (r.method == "PUT") {
    Check(Curl().easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT"));
    Check(Curl().easy_setopt(c, CURLOPT_POSTFIELDS, ""));
  } else if (r.method != "GET") {
    Check(Curl().easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str()));
  }
  Check(Curl().easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader));
  Check(Curl().easy_setopt(c, CURLOPT_HEADERDATA, &state));
  Check(Curl().easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody));
  Check(Curl().easy_setopt(c, CURLOPT_WRITEDATA, &state));
  Check(Curl().easy_setopt(c, CURLOPT_NOPROGRESS, 0L));
  Check(Curl().easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress));
  Check(Curl().easy_setopt(c, CURLOPT_XFERINFODATA, &state));
  if (r.connect_timeout > 0) Check(Curl().easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, Millis(r.connect_timeout)));
  if (r.time_left > 0) Check(Curl().easy_setopt(c, CURLOPT_TIMEOUT_MS, Millis(r.time_left)));
  if (r.local_port > 0) {
    Check(Curl().easy_setopt(c, CURLOPT_LOCALPORT, static_cast<long>(r.local_port)));
    Check(Curl().easy_setopt(c, CURLOPT_LOCALPORTRANGE, static_cast<long>(std::max(r.local_port_range, 1))));
  }
  const std::string missing_trust_store = UseTrustStore(c, r.ca_bundle);
  // TLS: verification stays on; the callback adds the config's CAs.
  Check(Curl().easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L));
  Check(Curl().easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L));
  Check(Curl().easy_setopt(c, CURLOPT_CA_CACHE_TIMEOUT, 0L));
  Check(Curl().easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, ConfigureSslContext));
  Check(Curl().easy_setopt(c, CURLOPT_SSL_CTX_DATA, &tls));

  state.start = Clock::now();
  CURLcode rc = Curl().easy_perform(c);
  Nanoseconds elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - state.start).count();

  TransferResult result;
  result.body_bytes = state.body_bytes;
  result.headers_received = state.headers_done;
  Curl().easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.status);
  if (rc == CURLE_OK) {
    char* location = nullptr;
    if (Curl().easy_getinfo(c, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location != nullptr)
      result.redirect_url = location;
    return result;
  }
  if (state.body_error) {
    result.kind = TransferResult::Kind::kBodyError;
    result.body_error = state.body_error;
    return result;
  }
  if (state.header_timed_out) {
    result.kind = TransferResult::Kind::kHeaderTimeout;
    return result;
  }
  TransferFacts& f = result.facts;
  if (std::optional<UrlParts> parts = ParseUrlParts(r.url)) {
    f.host = parts->host;
    f.port = parts->port;
  }
  curl_off_t connect_us = 0;
  Curl().easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_us);
  f.connected = connect_us > 0;
  f.body_bytes = state.body_bytes;
  f.proxy = RedactUrl(r.proxy);
  if (rc == CURLE_OPERATION_TIMEDOUT && r.time_left > 0 && elapsed >= r.time_left - 50'000'000) {
    result.kind = TransferResult::Kind::kDeadline;
    return result;
  }
  result.kind = TransferResult::Kind::kTransportError;
  f.curl_code = rc;
  f.curl_message = errbuf[0] ? errbuf : Curl().easy_strerror(rc);
  long os_errno = 0;
  Curl().easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
  f.os_errno = static_cast<int>(os_errno);
  char* ip = nullptr;
  if (Curl().easy_getinfo(c, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) f.remote_ip = ip;
  f.connect_timeout = r.connect_timeout;
  f.tls = tls.facts;
  f.missing_trust_store = missing_trust_store;
  f.local_time = FormatUtc(std::time(nullptr));
  if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY) {
    f.resolv_conf = r.resolv_conf;
    f.nameservers = Nameservers(r.resolv_conf);
  }
  return result;
}

}  // namespace flint::agent
