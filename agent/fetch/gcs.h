// gs://<bucket>/<object> sources as the URL of an anonymous GET through the
// Cloud Storage JSON API (storage/v1/b/<bucket>/o/<object>?alt=media). Pure.
#pragma once

#include <string>
#include <string_view>

namespace flint::agent {

struct GcsTarget {
  std::string url;
  std::string error;  // set instead when the source cannot be mapped
};

// `endpoint` (FLINT_GCS_ENDPOINT, e.g. "http://127.0.0.1:9000") replaces
// https://storage.googleapis.com when not empty.
GcsTarget GcsUrl(std::string_view source, std::string_view endpoint);

}  // namespace flint::agent
