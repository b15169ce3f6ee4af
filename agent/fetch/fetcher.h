// Fetching a config Resource (a source URL plus compression, HTTP headers and
// a verification hash): the one interface every stage uses to get bytes.
// Schemes live one per file under agent/fetch/; this is the front door.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/duration.h"
#include "agent/os/env.h"
#include "schema/model.h"
#include "schema/path.h"

namespace flint::agent {

class Log;

// Receives a resource's bytes, decompressed, as they arrive. A retried
// download starts over: Reset() drops what was written so far.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void Write(std::string_view chunk) = 0;
  virtual void Reset() = 0;
};

// Collects everything in memory (configs, CAs, key files: small things).
class StringSink : public ByteSink {
 public:
  void Write(std::string_view chunk) override { bytes_.append(chunk); }
  void Reset() override { bytes_.clear(); }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

// A request from a platform provider to a metadata service (for configs, use
// Fetch with a Resource).
struct HttpRequest {
  std::string url;             // http:// or https://
  std::string method = "GET";  // "PUT" for the AWS IMDSv2 token (sent with an empty body)
  // Replace the default headers of the same name (case-insensitive), like a
  // config's httpHeaders; their values are never logged.
  std::vector<schema::HttpHeader> headers;
  // Statuses retried like 5xx (e.g. 404 while a metadata service warms up).
  std::vector<long> retry_statuses;
  // What is being fetched, for messages: "the aws user data".
  std::string what;
  // Send each attempt from a random local port below 1024 (Scaleway serves
  // user data only to those; binding one needs root or CAP_NET_BIND_SERVICE).
  bool privileged_source_port = false;
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;

  // Streams `resource` into `sink`: fetched by its scheme, decompressed, and
  // verified against verification.hash once complete. `at` is the field
  // path of the resource for error messages. Throws agent::Failure naming
  // the URL, the field and the cause (the sink may hold partial data then).
  // An empty or absent source writes nothing.
  virtual void Fetch(const schema::Resource& resource, const schema::Path& at, ByteSink& sink) = 0;

  // Applies the fetch settings of a (merged) config: timeouts, certificate
  // authorities, proxy. Later fetches use them. Ends BoundByFetchTimeout.
  virtual void Configure(const schema::Ignition& settings) = 0;

  // -fetch-timeout, as upstream: until the next Configure (no config's
  // timeouts are known yet), every fetch as a whole, retries included, is
  // bounded by `limit`, and giving up names -fetch-timeout. 0: no bound.
  // The base version ignores it.
  virtual void BoundByFetchTimeout(Nanoseconds limit) { (void)limit; }

  // Fetch into memory.
  std::string FetchToString(const schema::Resource& resource, const schema::Path& at) {
    StringSink sink;
    Fetch(resource, at, sink);
    return std::move(sink.bytes());
  }

  // For platform providers: the body of a 200/204 answer to `request`, or
  // nullopt when the server answers 404 (upstream's "resource not found",
  // which most providers take as "no config"). Same headers, retries,
  // timeouts, TLS and proxy as Fetch. Throws agent::Failure otherwise (and
  // agent::NeedNet when offline). The base version refuses.
  virtual std::optional<std::string> FetchHttp(const HttpRequest& request);

  // The AWS region the s3:// scheme uses (the aws provider knows it); until
  // set, AWS_REGION / AWS_DEFAULT_REGION from the environment, else the
  // global endpoint. The base version ignores it.
  virtual void SetS3Region(std::string region) { (void)region; }
};

// True for URL schemes that need networking (http, https, tftp, s3, gs, arn),
// in any case. Pure.
bool UrlNeedsNet(std::string_view url);

inline constexpr uint64_t kDefaultMaxDecompressedBytes = uint64_t{8} << 30;  // 8 GiB

// Settings that do not come from a config.
struct FetcherOptions {
  // Bounds every fetch as a whole, retries included, like -fetch-timeout
  // (see BoundByFetchTimeout) but for the fetcher's lifetime. 0: no bound
  // besides timeouts.httpTotal (upstream retries for as long as it takes).
  Nanoseconds fetch_timeout = 0;
  // fetch-offline: a source that needs networking throws agent::NeedNet.
  bool offline = false;
  // Where FLINT_S3_ENDPOINT, FLINT_GCS_ENDPOINT (test endpoints for s3:// and
  // gs://, e.g. http://127.0.0.1:8080) and AWS_REGION are read.
  Env env = ProcessEnv();
  // compression: gzip refuses to produce more than this.
  uint64_t max_decompressed_bytes = kDefaultMaxDecompressedBytes;
  // /etc/resolv.conf, named in DNS failure messages.
  std::string resolv_conf = "/etc/resolv.conf";
  // The system trust store (a PEM bundle); "": libcurl's built-in default.
  // One that cannot be loaded fails a TLS fetch at once, without retries.
  std::string ca_bundle;
};

// The fetcher flint runs with. `log` receives progress of long waits.
std::unique_ptr<Fetcher> MakeFetcher(Log& log);
std::unique_ptr<Fetcher> MakeFetcher(Log& log, FetcherOptions options);

}  // namespace flint::agent
