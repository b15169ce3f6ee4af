// A Fetcher for unit tests: answers from a map of URL -> bytes (data: URLs
// are decoded for real), records every fetch (URL, field, headers) and every
// Configure call, and fails unknown URLs like the real fetcher's 404.
// FetchHttp answers from `http_responses` ("METHOD URL" -> body; unknown:
// nullopt, the real one's 404) and records the requests.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "agent/error.h"
#include "schema/data_url.h"
#include "agent/fetch/fetcher.h"

namespace flint::testing {

class FakeFetcher : public agent::Fetcher {
 public:
  struct Call {
    std::string url;
    std::string at;
    std::vector<schema::HttpHeader> headers;
  };

  void Fetch(const schema::Resource& resource, const schema::Path& at, agent::ByteSink& sink) override {
    if (!resource.source || resource.source->empty()) return;
    const std::string& url = *resource.source;
    calls.push_back({url, at.String(), resource.http_headers});
    configured_at_fetch.push_back(configured.empty() ? schema::Ignition{} : configured.back());
    if (schema::IsDataUrl(url)) {
      std::optional<std::string> bytes = schema::DecodeDataUrl(url).bytes;
      if (!bytes) throw agent::Failure("fetching").Url(url).Field(at.String()).Cause("malformed data URL");
      sink.Write(*bytes);
      return;
    }
    auto it = responses.find(url);
    if (it == responses.end()) {
      throw agent::Failure("fetching").Url(url).Field(at.String()).Cause("resource not found");
    }
    sink.Write(it->second);
  }

  void Configure(const schema::Ignition& settings) override { configured.push_back(settings); }

  std::optional<std::string> FetchHttp(const agent::HttpRequest& request) override {
    http_requests.push_back(request);
    auto it = http_responses.find(request.method + " " + request.url);
    if (it == http_responses.end()) return std::nullopt;
    return it->second;
  }

  // The URLs fetched, in order.
  std::vector<std::string> Urls() const {
    std::vector<std::string> urls;
    for (const Call& c : calls) urls.push_back(c.url);
    return urls;
  }

  std::map<std::string, std::string> responses;
  std::map<std::string, std::string> http_responses;
  std::vector<Call> calls;
  std::vector<agent::HttpRequest> http_requests;
  std::vector<schema::Ignition> configured;
  // The settings last configured before each fetch (parallel to `calls`).
  std::vector<schema::Ignition> configured_at_fetch;
};

// `data:,` + percent-encoded `bytes`.
inline std::string DataUrl(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "data:,";
  for (unsigned char c : bytes) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 0xf];
    }
  }
  return url;
}

}  // namespace flint::testing
