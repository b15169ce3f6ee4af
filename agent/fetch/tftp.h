// tftp:// sources through libcurl, retried like HTTP ones (a PXE server that
// is not up yet is the usual cause).
#pragma once

#include <functional>
#include <string>

#include "agent/fetch/decoding_sink.h"
#include "agent/fetch/http.h"

namespace flint::agent {

class Log;

// Fetches `url` into `sink`, then sink.Finish(). The per-attempt wait for
// the server is settings.header_timeout. Throws FetchError ("resource not
// found" for a missing file) or ContentError.
void TftpGet(const std::string& url, const HttpSettings& settings, Log& log, const std::function<double()>& random,
             DecodingSink& sink);

}  // namespace flint::agent
