// Benchmark driver: fetches one resource with flint's fetcher into a file,
// as the files stage would, and prints the time, the bytes and the peak RSS.
// Usage: fetch_bench URL OUTPUT [sha512-<hex>] [gzip]
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "agent/error.h"
#include "agent/fetch/fetcher.h"
#include "agent/log.h"

namespace {

// Writes straight to a file descriptor; a retry truncates it.
class FileSink : public flint::agent::ByteSink {
 public:
  explicit FileSink(const char* path) : fd_(open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) {
    if (fd_ < 0) throw std::runtime_error(std::string("open: ") + std::strerror(errno));
  }
  ~FileSink() override { close(fd_); }
  void Write(std::string_view chunk) override {
    while (!chunk.empty()) {
      ssize_t n = write(fd_, chunk.data(), chunk.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::runtime_error(std::string("write: ") + std::strerror(errno));
      chunk.remove_prefix(static_cast<size_t>(n));
      bytes_ += static_cast<uint64_t>(n);
    }
  }
  void Reset() override {
    if (ftruncate(fd_, 0) != 0 || lseek(fd_, 0, SEEK_SET) != 0) throw std::runtime_error("truncate failed");
    bytes_ = 0;
  }
  uint64_t bytes() const { return bytes_; }

 private:
  int fd_;
  uint64_t bytes_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: fetch_bench URL OUTPUT [sha512-<hex>] [gzip]\n";
    return 2;
  }
  flint::agent::CapturingSink log_sink;
  flint::agent::Log log(log_sink);
  std::unique_ptr<flint::agent::Fetcher> fetcher = flint::agent::MakeFetcher(log);
  flint::schema::Resource resource;
  resource.source = argv[1];
  for (int i = 3; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "gzip") {
      resource.compression = arg;
    } else {
      resource.verification.hash = arg;
    }
  }
  FileSink sink(argv[2]);
  auto start = std::chrono::steady_clock::now();
  try {
    fetcher->Fetch(resource, flint::schema::Path() / "bench", sink);
  } catch (const std::exception& e) {
    std::cerr << log_sink.Text() << "\n" << e.what() << "\n";
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("bytes %llu seconds %.3f MB/s %.1f maxrss_kb %ld\n", static_cast<unsigned long long>(sink.bytes()),
              seconds, static_cast<double>(sink.bytes()) / 1e6 / seconds, usage.ru_maxrss);
  return 0;
}
