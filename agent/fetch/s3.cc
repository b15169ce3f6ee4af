#include "agent/fetch/s3.h"

#include <optional>
#include <vector>

#include "schema/go_url.h"

namespace flint::agent {
namespace {

std::optional<std::string> PartitionDomain(std::string_view partition) {
  if (partition == "aws" || partition == "aws-us-gov") return "amazonaws.com";
  if (partition == "aws-cn") return "amazonaws.com.cn";
  if (partition == "aws-iso") return "c2s.ic.gov";
  if (partition == "aws-iso-b") return "sc2s.sgov.gov";
  return std::nullopt;
}

std::string VersionQuery(const schema::GoUrl& u) {
  bool present = false;
  std::vector<std::string> v = schema::GoQueryValues(u.raw_query, "versionId", &present);
  if (!present || v.empty() || v[0].empty()) return "";
  return "?versionId=" + EscapePathPart(v[0], false);
}

std::string BucketUrl(std::string_view bucket, std::string_view key, std::string_view region,
                      const std::string& domain, std::string_view endpoint) {
  std::string path = EscapePathPart(key, true);
  if (!endpoint.empty()) {
    std::string base(endpoint);
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + std::string(bucket) + "/" + path;
  }
  std::string host = region.empty() ? "s3." + domain : "s3." + std::string(region) + "." + domain;
  // Bucket names with dots do not match the wildcard certificate of the
  // virtual-hosted endpoint: use the path style for them.
  if (bucket.find('.') != std::string_view::npos) return "https://" + host + "/" + std::string(bucket) + "/" + path;
  return "https://" + std::string(bucket) + "." + host + "/" + path;
}

}  // namespace

std::string EscapePathPart(std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '_' || c == '.' || c == '~' || (keep_slash && c == '/');
    if (plain) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

S3Target S3Url(std::string_view source, std::string_view region, std::string_view endpoint) {
  std::optional<schema::GoUrl> u = schema::ParseGoUrl(source);
  if (!u) return {"", "invalid URL"};
  if (u->scheme == "s3") {
    std::string key = u->path.empty() ? "" : u->path.substr(1);
    if (u->host.empty() || key.empty()) return {"", "an s3 URL needs a bucket and a key (s3://bucket/key)"};
    return {BucketUrl(u->host, key, region, "amazonaws.com", endpoint) + VersionQuery(*u), ""};
  }
  if (u->scheme != "arn") return {"", "not an s3:// or arn: URL"};
  // arn:partition:service:region:account:resource (the resource keeps colons).
  std::string_view rest = u->opaque;
  std::string_view parts[5];
  for (int i = 0; i < 4; ++i) {
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return {"", "invalid S3 ARN format"};
    parts[i] = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  }
  parts[4] = rest;
  std::optional<std::string> domain = PartitionDomain(parts[0]);
  if (!domain) return {"", "unknown AWS partition '" + std::string(parts[0]) + "'"};
  if (parts[1] != "s3") return {"", "invalid S3 ARN format"};
  std::string_view resource = parts[4];
  std::string version = VersionQuery(*u);
  if (resource.rfind("accesspoint/", 0) == 0) {
    std::string_view tail = resource.substr(12);
    size_t slash = tail.find('/');
    std::string_view name = tail.substr(0, slash);
    std::string_view after = slash == std::string_view::npos ? "" : tail.substr(slash + 1);
    if (name.empty() || after.rfind("object/", 0) != 0 || after.size() == 7 || parts[2].empty() || parts[3].empty())
      return {"", "invalid S3 access point ARN (accesspoint/<name>/object/<key>)"};
    std::string key = EscapePathPart(after.substr(7), true);
    std::string host = std::string(name) + "-" + std::string(parts[3]);
    if (!endpoint.empty()) return {std::string(endpoint) + "/" + host + "/" + key + version, ""};
    return {"https://" + host + ".s3-accesspoint." + std::string(parts[2]) + "." + *domain + "/" + key + version, ""};
  }
  size_t slash = resource.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == resource.size())
    return {"", "invalid S3 ARN format"};
  std::string_view use_region = parts[2].empty() ? region : parts[2];
  return {BucketUrl(resource.substr(0, slash), resource.substr(slash + 1), use_region, *domain, endpoint) + version,
          ""};
}

}  // namespace flint::agent
