#include "agent/fetch/fetcher.h"

#include <catch2/catch.hpp>

#include "agent/error.h"
#include "agent/log.h"

namespace flint::agent {
namespace {

schema::Resource Source(std::string url) {
  schema::Resource r;
  r.source = std::move(url);
  return r;
}

TEST_CASE("fetcher: data URLs are decoded; nothing is written for an empty source") {
  CapturingSink log_sink;
  Log log(log_sink);
  auto fetcher = MakeFetcher(log);
  schema::Path at = schema::Path() / "storage" / "files" / 0 / "contents";
  CHECK(fetcher->FetchToString(Source("data:;base64,aGVsbG8="), at) == "hello");
  CHECK(fetcher->FetchToString(Source("data:,a%20b"), at) == "a b");
  CHECK(fetcher->FetchToString(Source(""), at).empty());
  CHECK(fetcher->FetchToString(schema::Resource(), at).empty());
}

}  // namespace
}  // namespace flint::agent
