#include "agent/fetch/fetcher.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <random>
#include <tuple>

#include "agent/error.h"
#include "agent/fetch/data.h"
#include "agent/fetch/decoding_sink.h"
#include "agent/fetch/gcs.h"
#include "agent/fetch/http.h"
#include "agent/fetch/redact.h"
#include "agent/fetch/s3.h"
#include "agent/fetch/tftp.h"
#include "agent/fetch/tls.h"
#include "agent/log.h"
#include "schema/go_url.h"

namespace flint::agent {

bool UrlNeedsNet(std::string_view url) {
  std::string scheme(url.substr(0, std::min(url.find(':'), url.size())));
  if (scheme.size() == url.size()) return false;
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme == "http" || scheme == "https" || scheme == "tftp" || scheme == "s3" || scheme == "arn" ||
         scheme == "gs";
}

std::optional<std::string> Fetcher::FetchHttp(const HttpRequest& request) {
  throw Failure("fetching " + request.what).Url(RedactUrl(request.url)).Cause("this fetcher cannot fetch over HTTP");
}

namespace {

std::string Scheme(const std::string& url) {
  std::optional<schema::GoUrl> u = schema::ParseGoUrl(url);
  return u ? u->scheme : "?";
}

class RealFetcher : public Fetcher {
 public:
  RealFetcher(Log& log, FetcherOptions options)
      : log_(log), options_(std::move(options)), rng_(std::random_device{}()) {
    http_.fetch_timeout = options_.fetch_timeout;
    http_.resolv_conf = options_.resolv_conf;
    http_.ca_bundle = options_.ca_bundle;
  }

  void Fetch(const schema::Resource& resource, const schema::Path& at, ByteSink& sink) override {
    if (!resource.source || resource.source->empty()) return;
    const std::string& url = *resource.source;
    std::string scheme = Scheme(url);
    auto failure = [&](const std::string& cause) {
      return Failure("fetching").Url(RedactUrl(url)).Field(at.String()).Cause(cause);
    };
    if (options_.offline && UrlNeedsNet(url))
      throw NeedNet("fetching '" + RedactUrl(url) + "' (at " + at.String() + ") needs networking");
    try {
      DecodingSink decoding(sink, resource.compression.value_or(""), resource.verification.hash.value_or(""),
                            options_.max_decompressed_bytes);
      FetchUrl(url, scheme, resource.http_headers, decoding);
    } catch (const FetchError& e) {
      throw failure(e.what());
    } catch (const ContentError& e) {
      throw failure(e.what());
    }
  }

  void Configure(const schema::Ignition& settings) override {
    const schema::Timeouts& t = settings.timeouts;
    http_.fetch_timeout = options_.fetch_timeout;
    http_.header_timeout = t.http_response_headers ? *t.http_response_headers * kSecond : kDefaultHeaderTimeout;
    http_.total_timeout = t.http_total ? *t.http_total * kSecond : 0;
    http_.proxy = {settings.proxy.http_proxy.value_or(""), settings.proxy.https_proxy.value_or(""),
                   settings.proxy.no_proxy};
    auto cas = std::make_shared<std::vector<X509Ptr>>();
    const auto& refs = settings.security.tls.certificate_authorities;
    for (size_t i = 0; i < refs.size(); ++i) {
      schema::Path at = schema::Path() / "ignition" / "security" / "tls" / "certificateAuthorities" / i;
      for (X509Ptr& cert : LoadCertificateAuthority(refs[i], at)) cas->push_back(std::move(cert));
    }
    http_.extra_cas = std::move(cas);
  }

  void BoundByFetchTimeout(Nanoseconds limit) override {
    http_.fetch_timeout = options_.fetch_timeout;
    if (limit > 0 && (http_.fetch_timeout == 0 || limit < http_.fetch_timeout)) http_.fetch_timeout = limit;
  }

  std::optional<std::string> FetchHttp(const HttpRequest& request) override {
    std::string scheme = Scheme(request.url);
    auto failure = [&](const std::string& cause) {
      return Failure("fetching " + request.what).Url(RedactUrl(request.url)).Cause(cause);
    };
    if (scheme != "http" && scheme != "https") throw failure("not an http or https URL");
    if (options_.offline) throw NeedNet("fetching " + request.what + " needs networking");
    StringSink body;
    DecodingSink decoding(body, "", "", options_.max_decompressed_bytes);
    try {
      HttpGet({request.url, request.method, request.headers, request.retry_statuses, request.privileged_source_port},
              http_, log_, Random(), decoding);
    } catch (const FetchError& e) {
      if (e.kind() == FetchError::Kind::kNotFound) return std::nullopt;
      throw failure(e.what());
    }
    return std::move(body.bytes());
  }

  void SetS3Region(std::string region) override { s3_region_ = std::move(region); }

 private:
  std::function<double()> Random() {
    return [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); };
  }

  void FetchUrl(const std::string& url, const std::string& scheme, const std::vector<schema::HttpHeader>& headers,
                DecodingSink& sink) {
    if (scheme == "data") return FetchDataUrl(url, sink);
    if (scheme == "http" || scheme == "https") return HttpGet({url, "GET", headers, {}, false}, http_, log_, Random(), sink);
    if (scheme == "tftp") return TftpGet(url, http_, log_, Random(), sink);
    if (scheme == "s3" || scheme == "arn") {
      std::string region = s3_region_;
      if (region.empty()) region = options_.env("AWS_REGION");
      if (region.empty()) region = options_.env("AWS_DEFAULT_REGION");
      S3Target target = S3Url(url, region, options_.env("FLINT_S3_ENDPOINT"));
      if (!target.error.empty()) throw FetchError(FetchError::Kind::kFailed, target.error);
      log_.Info("fetching " + RedactUrl(url) + " anonymously from " + RedactUrl(target.url));
      return HttpGet({target.url, "GET", {}, {}, false}, http_, log_, Random(), sink);
    }
    if (scheme == "gs") {
      GcsTarget target = GcsUrl(url, options_.env("FLINT_GCS_ENDPOINT"));
      if (!target.error.empty()) throw FetchError(FetchError::Kind::kFailed, target.error);
      log_.Info("fetching " + RedactUrl(url) + " anonymously from " + RedactUrl(target.url));
      return HttpGet({target.url, "GET", {}, {}, false}, http_, log_, Random(), sink);
    }
    throw FetchError(FetchError::Kind::kFailed, "unsupported source scheme");
  }

  // The certificates of one certificateAuthorities entry, fetched (by any
  // scheme, verified like any resource) once per source and hash.
  std::vector<X509Ptr> LoadCertificateAuthority(const schema::Resource& ca, const schema::Path& at) {
    auto key = std::make_tuple(ca.source.value_or(""), ca.compression.value_or(""),
                               ca.verification.hash.value_or(""));
    auto it = ca_cache_.find(key);
    bool first = it == ca_cache_.end();
    if (first) it = ca_cache_.emplace(key, FetchToString(ca, at)).first;
    try {
      std::vector<X509Ptr> certs = ParsePemCertificates(it->second);
      // Said once per source: the trust store is rebuilt after every merge.
      if (first) {
        for (const X509Ptr& cert : certs) {
          log_.Info("trusting the certificate authority '" + DescribeCert(cert.get()).subject + "' from " +
                    at.String());
        }
      }
      return certs;
    } catch (const std::runtime_error& e) {
      throw Failure("loading the certificate authority")
          .Url(RedactUrl(ca.source.value_or("")))
          .Field(at.String())
          .Cause(e.what());
    }
  }

  Log& log_;
  FetcherOptions options_;
  HttpSettings http_;
  std::string s3_region_;
  std::mt19937_64 rng_;
  std::map<std::tuple<std::string, std::string, std::string>, std::string> ca_cache_;
};

}  // namespace

std::unique_ptr<Fetcher> MakeFetcher(Log& log) { return MakeFetcher(log, FetcherOptions{}); }

std::unique_ptr<Fetcher> MakeFetcher(Log& log, FetcherOptions options) {
  return std::make_unique<RealFetcher>(log, std::move(options));
}

}  // namespace flint::agent
