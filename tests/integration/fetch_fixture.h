// What the fetch integration tests share: a fetcher with a capturing log,
// a directory of files the servers serve, and resource builders.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "agent/error.h"
#include "agent/fetch/fetcher.h"
#include "agent/log.h"
#include "tests/servers.h"
#include "tests/temp_dir.h"

namespace flint::testing {

class FetchFixture {
 public:
  explicit FetchFixture(agent::FetcherOptions options = {}) : fetcher_(agent::MakeFetcher(log_, std::move(options))) {}

  agent::Fetcher& fetcher() { return *fetcher_; }
  // Everything logged so far, one `LEVEL: message` line per entry.
  std::string LogText() const { return sink_.Text(); }
  TempDir& files() { return files_; }

  // Applies timeouts (seconds; 0 leaves one unset), CAs and a proxy.
  void Configure(int header_timeout, int total, std::vector<schema::Resource> cas = {}, schema::Proxy proxy = {}) {
    schema::Ignition settings;
    if (header_timeout > 0) settings.timeouts.http_response_headers = header_timeout;
    if (total > 0) settings.timeouts.http_total = total;
    settings.security.tls.certificate_authorities = std::move(cas);
    settings.proxy = std::move(proxy);
    fetcher_->Configure(settings);
  }

  std::string Fetch(const schema::Resource& resource) { return fetcher_->FetchToString(resource, At()); }

  // The message of the agent::Failure that fetching `resource` throws.
  std::string FetchError(const schema::Resource& resource) {
    try {
      Fetch(resource);
    } catch (const agent::Failure& f) {
      return f.what();
    }
    return "(no failure)";
  }

  static schema::Path At() { return schema::Path() / "storage" / "files" / 0 / "contents"; }

 private:
  TempDir files_;
  agent::CapturingSink sink_;
  agent::Log log_{sink_};
  std::unique_ptr<agent::Fetcher> fetcher_;
};

inline schema::Resource Source(std::string url) {
  schema::Resource r;
  r.source = std::move(url);
  return r;
}

inline schema::Resource DataCa(const std::string& pem_file) {
  std::string pem = TestCerts::Get().Pem(pem_file);
  std::string url = "data:,";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : pem) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '_' || c == '.' || c == '~' || c == '/' || c == '+' || c == '=';
    if (plain) {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return Source(url);
}

inline double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// How many times `needle` occurs in `hay`.
inline size_t Occurrences(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

}  // namespace flint::testing
