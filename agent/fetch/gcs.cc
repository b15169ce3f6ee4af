#include "agent/fetch/gcs.h"

#include <optional>

#include "agent/fetch/s3.h"
#include "schema/go_url.h"

namespace flint::agent {

GcsTarget GcsUrl(std::string_view source, std::string_view endpoint) {
  std::optional<schema::GoUrl> u = schema::ParseGoUrl(source);
  if (!u || u->scheme != "gs") return {"", "not a gs:// URL"};
  std::string object = u->path.empty() ? "" : u->path.substr(1);
  if (u->host.empty() || object.empty()) return {"", "a gs URL needs a bucket and an object (gs://bucket/object)"};
  std::string base = endpoint.empty() ? "https://storage.googleapis.com" : std::string(endpoint);
  while (!base.empty() && base.back() == '/') base.pop_back();
  // The object name is one path segment of the API: its slashes are escaped.
  return {base + "/storage/v1/b/" + EscapePathPart(u->host, false) + "/o/" + EscapePathPart(object, false) +
              "?alt=media",
          ""};
}

}  // namespace flint::agent
