// Fetching a config Resource (a source URL plus compression, HTTP headers and
// a verification hash): the one interface every stage uses to get bytes.
// Schemes live one per file under agent/fetch/; this is the front door.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "schema/model.h"
#include "schema/path.h"

namespace flint::agent {

class Log;

// Receives a resource's bytes, decompressed, as they arrive. A retried
// download starts over: Reset() drops what was written so far.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void Write(std::string_view chunk) = 0;
  virtual void Reset() = 0;
};

// Collects everything in memory (configs, CAs, key files: small things).
class StringSink : public ByteSink {
 public:
  void Write(std::string_view chunk) override { bytes_.append(chunk); }
  void Reset() override { bytes_.clear(); }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;

  // Streams `resource` into `sink`: fetched by its scheme, decompressed, and
  // verified against verification.hash once complete. `at` is the field
  // path of the resource for error messages. Throws agent::Failure naming
  // the URL, the field and the cause (the sink may hold partial data then).
  // An empty or absent source writes nothing.
  virtual void Fetch(const schema::Resource& resource, const schema::Path& at, ByteSink& sink) = 0;

  // Applies the fetch settings of a (merged) config: timeouts, certificate
  // authorities, proxy. Later fetches use them.
  virtual void Configure(const schema::Ignition& settings) = 0;

  // Fetch into memory.
  std::string FetchToString(const schema::Resource& resource, const schema::Path& at) {
    StringSink sink;
    Fetch(resource, at, sink);
    return std::move(sink.bytes());
  }
};

// The fetcher flint runs with. `log` receives progress of long waits.
std::unique_ptr<Fetcher> MakeFetcher(Log& log);

}  // namespace flint::agent
