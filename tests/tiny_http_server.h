// An HTTP server on 127.0.0.1 for unit tests, in a thread of the test: each
// connection's request (method, target, headers, the client's port) is
// recorded and answered by a handler returning the raw response bytes.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace flint::testing {

class TinyHttpServer {
 public:
  struct Request {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  // names lower-cased
    int client_port = 0;
  };
  using Handler = std::function<std::string(const Request&)>;

  explicit TinyHttpServer(Handler handler) : handler_(std::move(handler)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("TinyHttpServer: cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~TinyHttpServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Request> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

  static std::string Response(int status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
  }

 private:
  void Serve() {
    while (!stop_) {
      sockaddr_in peer{};
      socklen_t len = sizeof peer;
      int c = ::accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
      if (c < 0) continue;
      std::string raw;
      char buf[4096];
      while (raw.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        raw.append(buf, static_cast<size_t>(n));
      }
      Request r = ParseRequest(raw);
      r.client_port = ntohs(peer.sin_port);
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(r);
      }
      std::string out = handler_(r);
      for (size_t sent = 0; sent < out.size();) {
        ssize_t n = ::send(c, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
      }
      ::close(c);
    }
  }

  static Request ParseRequest(const std::string& raw) {
    Request r;
    size_t eol = raw.find("\r\n");
    std::string line = raw.substr(0, eol);
    size_t s1 = line.find(' '), s2 = line.rfind(' ');
    if (s1 != std::string::npos && s2 > s1) {
      r.method = line.substr(0, s1);
      r.target = line.substr(s1 + 1, s2 - s1 - 1);
    }
    size_t pos = eol == std::string::npos ? raw.size() : eol + 2;
    while (pos < raw.size()) {
      size_t end = raw.find("\r\n", pos);
      if (end == std::string::npos || end == pos) break;
      std::string h = raw.substr(pos, end - pos);
      size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string name = h.substr(0, colon);
        for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        size_t v = h.find_first_not_of(' ', colon + 1);
        r.headers[name] = v == std::string::npos ? "" : h.substr(v);
      }
      pos = end + 2;
    }
    return r;
  }

  Handler handler_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<Request> requests_;
};

}  // namespace flint::testing
