// Rules for resources (sources of bytes): URL schemes per spec version, S3
// version ids and ARNs, data URLs, compression, verification hashes and HTTP
// headers. Upstream: config/v3_*/types/{url,resource,verification,headers}.go.
#include <algorithm>

#include "schema/data_url.h"
#include "schema/go_url.h"
#include "schema/validate_internal.h"

namespace flint::schema::validate {
namespace {

constexpr std::string_view kErrInvalidS3Arn = "invalid S3 ARN format";
constexpr std::string_view kErrInvalidS3VersionId = "invalid S3 object VersionId";

// Upstream: `versionId` present in the query with an empty first value.
bool BadVersionId(const GoUrl& u) {
  bool present = false;
  std::vector<std::string> v = GoQueryValues(u.raw_query, "versionId", &present);
  return present && (v.empty() || v[0].empty());
}

// aws-sdk-go-v2's arn.IsARN and arn.Parse, then upstream's S3 checks.
Problem CheckArn(const GoUrl& u) {
  std::string full = u.scheme + ":" + u.opaque;
  if (full.rfind("arn:", 0) != 0 || std::count(full.begin(), full.end(), ':') < 5)
    return std::string(kErrInvalidS3Arn);
  // arn.Parse: six sections, the last keeps any further colons.
  std::string_view rest = full;
  std::string_view sections[6];
  for (int i = 0; i < 5; ++i) {
    size_t colon = rest.find(':');
    sections[i] = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  }
  sections[5] = rest;
  if (sections[2] != "s3") return std::string(kErrInvalidS3Arn);
  size_t parts = std::count(full.begin(), full.end(), '/') + 1;
  if (sections[5].rfind("accesspoint/", 0) == 0) {
    if (parts < 3) return std::string(kErrInvalidS3Arn);
  } else if (parts < 2) {
    return std::string(kErrInvalidS3Arn);
  }
  if (BadVersionId(u)) return std::string(kErrInvalidS3VersionId);
  return std::nullopt;
}

Problem CheckHash(const std::string& hash, Version version) {
  size_t dash = hash.find('-');
  if (dash == std::string::npos) return "malformed hash specifier";
  std::string_view function(hash.data(), dash);
  std::string_view sum(hash.data() + dash + 1, hash.size() - dash - 1);
  size_t size = 0;
  if (function == "sha512")
    size = 64;
  else if (function == "sha256" && version >= Version::k3_1)
    size = 32;
  else
    return "unrecognized hash function";
  if (sum.size() != size * 2) return "incorrect size for hash sum";
  return std::nullopt;
}

Problem CheckCompression(const OptString& c) {
  if (c && !c->empty() && *c != "gzip") return "invalid compression method";
  return std::nullopt;
}

Problem CheckHeaderScheme(const Resource& res) {
  if (res.http_headers.empty()) return std::nullopt;
  if (NilOrEmpty(res.source)) return std::string(kErrInvalidUrl);
  auto u = ParseGoUrl(*res.source);
  if (!u) return std::string(kErrInvalidUrl);
  if (u->scheme == "http" || u->scheme == "https") return std::nullopt;
  return "cannot use HTTP headers with this source scheme";
}

void ValidateHeader(const HttpHeader& h, const Path& at, const Ctx& ctx) {
  if (h.name.empty()) ctx.report.Error(at / "name", "HTTP header name can't be empty");
  if (h.value && h.value->empty()) ctx.report.Error(at / "value", "unable to parse HTTP header");
}

}  // namespace

Problem CheckUrl(std::string_view url, Version version) {
  auto u = ParseGoUrl(url);
  if (!u) return std::string(kErrInvalidUrl);
  const std::string& scheme = u->scheme;
  if (scheme == "http" || scheme == "https" || scheme == "tftp") return std::nullopt;
  if (scheme == "gs" && version >= Version::k3_2) return std::nullopt;
  if (scheme == "s3") {
    if (BadVersionId(*u)) return std::string(kErrInvalidS3VersionId);
    return std::nullopt;
  }
  if (scheme == "arn" && version >= Version::k3_4) return CheckArn(*u);
  if (scheme == "data") return DataUrlError(url);
  return std::string(kErrInvalidScheme);
}

Problem CheckUrlNilOk(const OptString& url, Version version) {
  if (NilOrEmpty(url)) return std::nullopt;
  return CheckUrl(*url, version);
}

// Spec 3.0 had three resource types (file contents, config and CA references)
// with different rules; 3.1 unified them into one Resource.
void ValidateResource(const Resource& res, const Path& at, ResourceKind kind, const Ctx& ctx) {
  const bool v30 = !ctx.AtLeast(Version::k3_1);
  if (!v30 || kind == ResourceKind::kFile) {
    ctx.Error(at / "compression", CheckCompression(res.compression));
    if (res.verification.hash && !res.source)
      ctx.report.Error(at / "verification" / "hash",
                       "source must be specified if verification is specified");
  }
  if (v30 && kind == ResourceKind::kCa) {
    // A 3.0 CA reference's source is a plain string: always checked.
    ctx.Error(at / "source", CheckUrl(res.source.value_or(""), ctx.version));
  } else {
    ctx.Error(at / "source", CheckUrlNilOk(res.source, ctx.version));
  }
  ctx.Error(at / "httpHeaders", CheckHeaderScheme(res));
  for (size_t i = 0; i < res.http_headers.size(); ++i)
    ValidateHeader(res.http_headers[i], at / "httpHeaders" / i, ctx);
  if (res.verification.hash)
    ctx.Error(at / "verification" / "hash", CheckHash(*res.verification.hash, ctx.version));
}

}  // namespace flint::schema::validate
