#include "agent/fetch/fetcher.h"

#include "agent/error.h"
#include "schema/data_url.h"

namespace flint::agent {
namespace {

// The schemes written so far: data: only. Every other scheme, compression
// and hash verification refuse clearly until the fetcher is complete.
class DataOnlyFetcher : public Fetcher {
 public:
  void Fetch(const schema::Resource& resource, const schema::Path& at, ByteSink& sink) override {
    if (!resource.source || resource.source->empty()) return;
    const std::string& url = *resource.source;
    auto fail = [&](std::string cause) {
      return Failure("fetching").Url(url).Field(at.String()).Cause(std::move(cause));
    };
    if (!schema::IsDataUrl(url)) throw fail("this URL scheme is not implemented yet");
    if (resource.compression && !resource.compression->empty())
      throw fail("compression is not implemented yet");
    if (resource.verification.hash) throw fail("hash verification is not implemented yet");
    schema::DecodedDataUrl decoded = schema::DecodeDataUrl(url);
    if (!decoded.bytes) throw fail(decoded.error);
    sink.Write(*decoded.bytes);
  }

  void Configure(const schema::Ignition&) override {}
};

}  // namespace

std::unique_ptr<Fetcher> MakeFetcher(Log&) { return std::make_unique<DataOnlyFetcher>(); }

}  // namespace flint::agent
