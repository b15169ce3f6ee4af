// s3:// and arn:...:s3 sources as the HTTPS URL of an anonymous GET (flint
// has no AWS credentials; upstream falls back to anonymous access too).
// Pure.
#pragma once

#include <string>
#include <string_view>

namespace flint::agent {

struct S3Target {
  std::string url;    // the https:// (or test endpoint) URL to GET
  std::string error;  // set instead when the source cannot be mapped
};

// s3://<bucket>/<key>[?versionId=v], arn:<partition>:s3:::<bucket>/<key> and
// arn:<partition>:s3:<region>:<account>:accesspoint/<name>/object/<key>.
// `region` ("" when unknown: the partition's global endpoint) picks the
// regional endpoint; `endpoint` (FLINT_S3_ENDPOINT, e.g.
// "http://127.0.0.1:9000") replaces the AWS host with path-style URLs.
S3Target S3Url(std::string_view source, std::string_view region, std::string_view endpoint);

// Percent-encodes an S3 key or GCS object for a URL path; '/' is kept when
// `keep_slash`.
std::string EscapePathPart(std::string_view s, bool keep_slash);

}  // namespace flint::agent
