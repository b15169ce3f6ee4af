// Real servers for integration tests, on 127.0.0.1 and free ports, started
// by the test and always stopped (RAII: SIGTERM to the process group, then
// SIGKILL, then reaped): the Python HTTP/HTTPS server of tests/servers/,
// tinyproxy, tftpd-hpa's in.tftpd, and certificates made by
// tests/servers/make_certs.sh with the openssl CLI. Every wait is bounded.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/temp_dir.h"

extern char** environ;

namespace flint::testing {

inline constexpr const char* kPython = "/usr/bin/python3";  // Debian's, not a pyenv one on PATH
inline const std::string kServersDir = FLINT_SOURCE_DIR "/tests/servers";

// A child in its own process group, with its stdout on a pipe.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv, const std::string& stderr_path = "/dev/null") {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int rc = posix_spawn(&pid_, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(fds[1]);
    out_fd_ = fds[0];
    if (rc != 0) {
      close(out_fd_);
      throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { Stop(); }

  // The rest of the first stdout line starting with `prefix`.
  std::string WaitForLine(std::string_view prefix, std::chrono::milliseconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      size_t nl;
      while ((nl = buffered_.find('\n')) != std::string::npos) {
        std::string line = buffered_.substr(0, nl);
        buffered_.erase(0, nl + 1);
        if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("timed out waiting for a server to start");
      pollfd p{out_fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[512];
      ssize_t n = read(out_fd_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("a server exited before it was ready");
      buffered_.append(buf, static_cast<size_t>(n));
    }
  }

  // Waits for the child to exit (killing it after `timeout`); its exit code.
  int Wait(std::chrono::milliseconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (pid_ > 0 && std::chrono::steady_clock::now() < end) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    Stop();
    return -1;
  }

  void Stop() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 200; ++i) {  // up to 2 s
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (pid_ > 0) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    if (out_fd_ >= 0) close(out_fd_);
    out_fd_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffered_;
};

// A port of 127.0.0.1 nothing listens on right now (SOCK_STREAM or SOCK_DGRAM).
inline int FreePort(int type = SOCK_STREAM) {
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

inline bool AcceptsTcp(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

inline void WaitForTcp(int port, std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (!AcceptsTcp(port)) {
    if (std::chrono::steady_clock::now() > end) throw std::runtime_error("timed out waiting for port " + std::to_string(port));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Certificates for the TLS tests, generated once per test process.
class TestCerts {
 public:
  static const TestCerts& Get() {
    static TestCerts certs;
    return certs;
  }
  std::string Path(std::string_view name) const { return (dir_.path() / name).string(); }
  std::string Pem(std::string_view name) const { return ReadAll(dir_.path() / name); }

 private:
  TestCerts() {
    ChildProcess make({"/bin/sh", kServersDir + "/make_certs.sh", dir_.path().string()});
    if (make.Wait(std::chrono::seconds(60)) != 0) throw std::runtime_error("tests/servers/make_certs.sh failed");
  }
  TempDir dir_;
};

// tests/servers/http_server.py serving `root`, over TLS with `cert` ("good",
// "expired", "future", "wrong-name") when given.
class HttpServer {
 public:
  explicit HttpServer(const std::filesystem::path& root, const std::string& cert = "")
      : log_(scratch_ / "requests.log"), process_(Argv(root, cert, log_)) {
    port_ = std::stoi(process_.WaitForLine("PORT ", std::chrono::seconds(10)));
    scheme_ = cert.empty() ? "http" : "https";
  }
  int port() const { return port_; }
  // "http://127.0.0.1:<port>/<path>"; `host` replaces 127.0.0.1.
  std::string Url(std::string_view path, std::string_view host = "127.0.0.1") const {
    return scheme_ + "://" + std::string(host) + ":" + std::to_string(port_) + "/" + std::string(path);
  }
  // One JSON line per request received.
  std::string RequestLog() const { return ReadAll(log_); }

 private:
  static std::vector<std::string> Argv(const std::filesystem::path& root, const std::string& cert,
                                       const std::filesystem::path& log) {
    std::vector<std::string> argv = {kPython, kServersDir + "/http_server.py", "--root", root.string(), "--log",
                                     log.string()};
    if (!cert.empty()) {
      const TestCerts& certs = TestCerts::Get();
      argv.insert(argv.end(), {"--cert", certs.Path(cert + ".crt"), "--key", certs.Path(cert + ".key")});
    }
    return argv;
  }

  TempDir scratch_;
  std::filesystem::path log_;
  ChildProcess process_;
  int port_ = 0;
  std::string scheme_;
};

// tinyproxy in the foreground with a config of its own.
class TinyProxy {
 public:
  TinyProxy() : port_(FreePort()), process_(Argv(scratch_, port_)) { WaitForTcp(port_, std::chrono::seconds(10)); }
  int port() const { return port_; }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string Log() const { return ReadAll(scratch_ / "tinyproxy.log"); }

 private:
  static std::vector<std::string> Argv(const TempDir& dir, int port) {
    dir.Write("tinyproxy.conf", "Port " + std::to_string(port) +
                                    "\nListen 127.0.0.1\nTimeout 30\nMaxClients 20\nLogLevel Connect\n"
                                    "LogFile \"" + (dir / "tinyproxy.log").string() + "\"\n");
    return {"/usr/bin/tinyproxy", "-d", "-c", (dir / "tinyproxy.conf").string()};
  }

  TempDir scratch_;
  int port_;
  ChildProcess process_;
};

// tftpd-hpa's in.tftpd in the foreground, serving `root`.
class TftpServer {
 public:
  explicit TftpServer(const std::filesystem::path& root)
      : port_(FreePort(SOCK_DGRAM)),
        process_({"/usr/sbin/in.tftpd", "-L", "-a", "127.0.0.1:" + std::to_string(port_), "-u", "root", "-s",
                  root.string()}) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // UDP: nothing to probe cheaply
  }
  std::string Url(std::string_view path) const {
    return "tftp://127.0.0.1:" + std::to_string(port_) + "/" + std::string(path);
  }

 private:
  int port_;
  ChildProcess process_;
};

}  // namespace flint::testing
