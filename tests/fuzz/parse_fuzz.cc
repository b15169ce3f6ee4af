// libFuzzer target for the config parser: any bytes must parse without a
// crash or sanitizer report, and a config that parses must survive a round
// trip through EncodeString unchanged, still valid unless it was translated
// from an older spec (aborts otherwise).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "schema/encode.h"
#include "schema/parse.h"

namespace {

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "parse_fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace flint::schema;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ParseResult first = Parse(bytes);
  // Every entry must print (exercises the report formatting too).
  std::string report = first.report.String();
  if (first.config.has_value() == first.report.HasErrors())
    Fail("config set despite errors, or unset without one", report);
  if (!first.config) return 0;

  // The encoded config is in the newest spec. Translated from an older one it
  // may break a newer rule, as upstream's does (a 3.2 link without a target
  // becomes target "", which 3.3+ refuse), so only then is it not validated.
  std::string encoded = EncodeString(*first.config);
  bool translated = first.version != kNewestVersion;
  ParseResult second = translated ? ParseUnvalidated(encoded) : Parse(encoded);
  if (!second.config)
    Fail("the encoded config does not parse", encoded + "\n" + second.report.String());
  if (!(*second.config == *first.config))
    Fail("the encoded config parses to a different config", encoded);
  if (EncodeString(*second.config) != encoded) Fail("encoding is not stable", encoded);
  return 0;
}
