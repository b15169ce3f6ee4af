// Owned libcurl handles and the small helpers every curl-based scheme
// (http, https, tftp) shares.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace flint::agent {

struct CurlEasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

// A new easy handle (curl_global_init runs once, first).
CurlEasy NewCurlEasy();

// Appends `line` to a header list (curl_slist_append), keeping ownership.
void AppendHeader(CurlSlist& list, const std::string& line);

struct UrlParts {
  std::string scheme;  // lower-case
  std::string host;    // without IPv6 brackets
  std::string port;    // explicit or the scheme's default
};

// The parts of an absolute URL, as libcurl parses it; nullopt when it cannot.
std::optional<UrlParts> ParseUrlParts(const std::string& url);

// "host:port", bracketing IPv6 addresses.
std::string HostPort(std::string_view host, std::string_view port);

// The reason phrase of an HTTP status, as Go's http.StatusText ("" if unknown).
std::string_view HttpStatusText(long status);

}  // namespace flint::agent
