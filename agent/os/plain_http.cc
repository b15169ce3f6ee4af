#include "agent/os/plain_http.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "agent/error.h"
#include "agent/os/fd.h"

namespace flint::agent {
namespace {

using Clock = std::chrono::steady_clock;

struct Target {
  std::string host;
  std::string port = "80";
  std::string path_and_query = "/";
  std::string host_header;
};

Target ParseUrl(const std::string& url) {
  const std::string prefix = "http://";
  if (url.compare(0, prefix.size(), prefix) != 0) {
    throw Failure("requesting").Url(url).Cause("only http:// URLs are supported here");
  }
  Target t;
  size_t slash = url.find_first_of("/?", prefix.size());
  std::string authority =
      url.substr(prefix.size(), slash == std::string::npos ? std::string::npos : slash - prefix.size());
  if (slash != std::string::npos) t.path_and_query = url[slash] == '/' ? url.substr(slash) : "/" + url.substr(slash);
  t.host_header = authority;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) throw Failure("requesting").Url(url).Cause("malformed IPv6 host");
    t.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') t.port = authority.substr(close + 2);
  } else {
    size_t colon = authority.rfind(':');
    t.host = authority.substr(0, colon);
    if (colon != std::string::npos) t.port = authority.substr(colon + 1);
  }
  if (t.host.empty()) throw Failure("requesting").Url(url).Cause("no host");
  return t;
}

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

// Waits for `events` on fd; throws on timeout.
void Wait(int fd, short events, Clock::time_point deadline, const std::string& url, const char* what) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, RemainingMs(deadline));
    if (n > 0) return;
    if (n == 0) throw Failure("requesting").Url(url).Cause(std::string("timed out ") + what);
    if (errno != EINTR) throw Failure("requesting").Url(url).Errno(errno);
  }
}

Fd Connect(const Target& t, const PlainHttpRequest& request, Clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(t.host.c_str(), t.port.c_str(), &hints, &found);
  if (rc != 0) {
    throw Failure("resolving").Url(request.url).Cause("'" + t.host + "': " + ::gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, &::freeaddrinfo);
  Fd fd(::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, found->ai_protocol));
  if (!fd) throw Failure("creating a socket").Url(request.url).Errno(errno);
  if (request.local_port != 0) {
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_storage local{};
    socklen_t len = 0;
    if (found->ai_family == AF_INET6) {
      auto* a = reinterpret_cast<sockaddr_in6*>(&local);
      a->sin6_family = AF_INET6;
      a->sin6_port = htons(static_cast<uint16_t>(request.local_port));
      len = sizeof *a;
    } else {
      auto* a = reinterpret_cast<sockaddr_in*>(&local);
      a->sin_family = AF_INET;
      a->sin_port = htons(static_cast<uint16_t>(request.local_port));
      len = sizeof *a;
    }
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&local), len) != 0) {
      throw Failure("binding local port " + std::to_string(request.local_port)).Url(request.url).Errno(errno);
    }
  }
  if (::connect(fd.get(), found->ai_addr, found->ai_addrlen) != 0) {
    if (errno != EINPROGRESS) throw Failure("connecting").Url(request.url).Errno(errno);
    Wait(fd.get(), POLLOUT, deadline, request.url, "connecting");
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) throw Failure("connecting").Url(request.url).Errno(err);
  }
  return fd;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The body of a chunked response; throws when it is malformed.
std::string Dechunk(const std::string& raw, const std::string& url) {
  std::string body;
  size_t pos = 0;
  for (;;) {
    size_t eol = raw.find("\r\n", pos);
    if (eol == std::string::npos) throw Failure("reading the answer").Url(url).Cause("truncated chunked body");
    size_t size = std::strtoul(raw.substr(pos, eol - pos).c_str(), nullptr, 16);
    pos = eol + 2;
    if (size == 0) return body;
    if (pos + size > raw.size()) throw Failure("reading the answer").Url(url).Cause("truncated chunked body");
    body.append(raw, pos, size);
    pos += size + 2;
  }
}

PlainHttpResponse Parse(const std::string& raw, const std::string& url) {
  size_t end = raw.find("\r\n\r\n");
  if (raw.compare(0, 5, "HTTP/") != 0 || end == std::string::npos) {
    throw Failure("reading the answer").Url(url).Cause("not an HTTP response");
  }
  PlainHttpResponse response;
  size_t space = raw.find(' ');
  response.status = std::atoi(raw.c_str() + space + 1);
  std::string head = Lower(raw.substr(0, end));
  std::string body = raw.substr(end + 4);
  if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
    response.body = Dechunk(body, url);
    return response;
  }
  size_t cl = head.find("\r\ncontent-length:");
  if (cl != std::string::npos) {
    size_t length = std::strtoul(head.c_str() + cl + 17, nullptr, 10);
    if (body.size() < length) throw Failure("reading the answer").Url(url).Cause("truncated body");
    body.resize(length);
  }
  response.body = std::move(body);
  return response;
}

}  // namespace

PlainHttpResponse SendPlainHttp(const PlainHttpRequest& request) {
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(request.timeout_ms);
  Target t = ParseUrl(request.url);
  Fd fd = Connect(t, request, deadline);
  std::string out = request.method + " " + t.path_and_query + " HTTP/1.1\r\nHost: " + t.host_header +
                    "\r\nUser-Agent: flint/" FLINT_VERSION "\r\nConnection: close\r\n";
  for (const auto& [name, value] : request.headers) out += name + ": " + value + "\r\n";
  if (request.method != "GET") out += "Content-Length: 0\r\n";
  out += "\r\n";
  for (size_t sent = 0; sent < out.size();) {
    Wait(fd.get(), POLLOUT, deadline, request.url, "sending the request");
    ssize_t n = ::send(fd.get(), out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) throw Failure("sending the request").Url(request.url).Errno(errno);
    if (n > 0) sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buf[16384];
  for (;;) {
    Wait(fd.get(), POLLIN, deadline, request.url, "waiting for the answer");
    ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      throw Failure("reading the answer").Url(request.url).Errno(errno);
    }
    raw.append(buf, static_cast<size_t>(n));
  }
  return Parse(raw, request.url);
}

}  // namespace flint::agent
