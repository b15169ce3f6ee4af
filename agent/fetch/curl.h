// Owned libcurl handles and the small helpers every curl-based scheme
// (http, https, tftp) shares.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace flint::agent {

// The libcurl functions flint calls. libcurl is loaded on first use
// (dlopen "libcurl.so.4") rather than linked: it pulls in ~27 shared
// libraries (GnuTLS, Kerberos, LDAP, SSH, ...) whose loading, relocation and
// constructors were a large part of the start-up of every flint process,
// while most runs never fetch a URL (validate, data: URLs, most stages).
struct CurlApi {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_url) url;
  decltype(&::curl_url_cleanup) url_cleanup;
  decltype(&::curl_url_get) url_get;
  decltype(&::curl_url_set) url_set;
  decltype(&::curl_free) free;
};

// libcurl, loaded and resolved once; throws agent::Failure naming the
// library when it is missing or lacks a function.
const CurlApi& Curl();

struct CurlEasyDeleter {
  void operator()(CURL* c) const { Curl().easy_cleanup(c); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* l) const { Curl().slist_free_all(l); }
};
struct CurlUrlDeleter {
  void operator()(CURLU* u) const { Curl().url_cleanup(u); }
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
