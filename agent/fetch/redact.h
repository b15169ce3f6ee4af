// URLs as flint prints them: credentials never appear in a log line or an
// error. Pure.
#pragma once

#include <string>
#include <string_view>

namespace flint::agent {

// "data:" for a data URL (its contents may be a whole secret file);
// otherwise `url` with a user:password@ part replaced by "***@", and the
// values of query parameters that look like credentials (names containing
// "sig", "token", "key", "secret", "pass", "cred" or "auth", such as a
// pre-signed S3 URL's X-Amz-Signature) replaced by "***".
std::string RedactUrl(std::string_view url);

}  // namespace flint::agent
