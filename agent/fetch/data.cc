#include "agent/fetch/data.h"

#include "agent/fetch/http.h"
#include "schema/data_url.h"

namespace flint::agent {

void FetchDataUrl(std::string_view url, DecodingSink& sink) {
  schema::DecodedDataUrl decoded = schema::DecodeDataUrl(url);
  if (!decoded.bytes) throw FetchError(FetchError::Kind::kFailed, "malformed data URL: " + decoded.error);
  sink.Write(*decoded.bytes);
  sink.Finish();
}

}  // namespace flint::agent
