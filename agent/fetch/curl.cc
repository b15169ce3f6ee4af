#include "agent/fetch/curl.h"

#include <dlfcn.h>

#include <cctype>
#include <mutex>
#include <new>
#include <stdexcept>

#include "agent/error.h"

namespace flint::agent {
namespace {

constexpr const char* kLibcurl = "libcurl.so.4";

[[gnu::noinline]] void* Symbol(void* lib, const char* name) {
  void* symbol = ::dlsym(lib, name);
  if (symbol == nullptr) throw Failure::Message(std::string(kLibcurl) + " has no function " + name);
  return symbol;
}

template <class F>
void Resolve(void* lib, F& slot, const char* name) {
  slot = reinterpret_cast<F>(Symbol(lib, name));
}

CurlApi LoadCurl() {
  // Never closed: libcurl stays loaded until exit, as if linked.
  void* lib = ::dlopen(kLibcurl, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = ::dlerror();
    throw Failure::Message(std::string("cannot load ") + kLibcurl + " (needed for http, https and tftp URLs): " +
                           (why ? why : "unknown error"));
  }
  CurlApi api{};
  Resolve(lib, api.global_init, "curl_global_init");
  Resolve(lib, api.easy_init, "curl_easy_init");
  Resolve(lib, api.easy_cleanup, "curl_easy_cleanup");
  Resolve(lib, api.easy_setopt, "curl_easy_setopt");
  Resolve(lib, api.easy_getinfo, "curl_easy_getinfo");
  Resolve(lib, api.easy_perform, "curl_easy_perform");
  Resolve(lib, api.easy_strerror, "curl_easy_strerror");
  Resolve(lib, api.slist_append, "curl_slist_append");
  Resolve(lib, api.slist_free_all, "curl_slist_free_all");
  Resolve(lib, api.url, "curl_url");
  Resolve(lib, api.url_cleanup, "curl_url_cleanup");
  Resolve(lib, api.url_get, "curl_url_get");
  Resolve(lib, api.url_set, "curl_url_set");
  Resolve(lib, api.free, "curl_free");
  return api;
}

}  // namespace

const CurlApi& Curl() {
  static const CurlApi api = LoadCurl();
  return api;
}

CurlEasy NewCurlEasy() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (Curl().global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  });
  CurlEasy easy(Curl().easy_init());
  if (!easy) throw std::bad_alloc();
  return easy;
}

void AppendHeader(CurlSlist& list, const std::string& line) {
  curl_slist* grown = Curl().slist_append(list.get(), line.c_str());
  if (grown == nullptr) throw std::bad_alloc();
  (void)list.release();
  list.reset(grown);
}

namespace {

std::optional<std::string> Part(CURLU* u, CURLUPart part, unsigned flags) {
  char* value = nullptr;
  if (Curl().url_get(u, part, &value, flags) != CURLUE_OK || value == nullptr) return std::nullopt;
  std::string out(value);
  Curl().free(value);
  return out;
}

}  // namespace

std::optional<UrlParts> ParseUrlParts(const std::string& url) {
  CurlUrl u(Curl().url());
  if (!u) throw std::bad_alloc();
  if (Curl().url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) return std::nullopt;
  std::optional<std::string> scheme = Part(u.get(), CURLUPART_SCHEME, 0);
  std::optional<std::string> host = Part(u.get(), CURLUPART_HOST, 0);
  std::optional<std::string> port = Part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!scheme || !host) return std::nullopt;
  UrlParts parts;
  for (char c : *scheme) parts.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  parts.host = *host;
  if (parts.host.size() >= 2 && parts.host.front() == '[' && parts.host.back() == ']')
    parts.host = parts.host.substr(1, parts.host.size() - 2);
  parts.port = port.value_or("");
  return parts;
}

std::string HostPort(std::string_view host, std::string_view port) {
  std::string h(host);
  if (h.find(':') != std::string::npos) h = "[" + h + "]";
  return port.empty() ? h : h + ":" + std::string(port);
}

std::string_view HttpStatusText(long status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

}  // namespace flint::agent
