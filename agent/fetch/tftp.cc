#include "agent/fetch/tftp.h"

#include <algorithm>

#include "agent/fetch/redact.h"
#include "agent/fetch/retry.h"
#include "agent/fetch/transfer.h"

namespace flint::agent {

void TftpGet(const std::string& url, const HttpSettings& settings, Log& log, const std::function<double()>& random,
             DecodingSink& sink) {
  RetryLimits limits{settings.total_timeout, settings.fetch_timeout};
  RetryWithBackoff("TFTP GET " + RedactUrl(url), limits, log, random, sink, [&](Nanoseconds time_left) {
    TransferRequest req;
    req.url = url;
    req.protocols = "tftp";
    req.connect_timeout = settings.header_timeout;
    req.time_left = time_left;
    if (time_left > 0) req.connect_timeout = req.connect_timeout > 0 ? std::min(req.connect_timeout, time_left) : time_left;
    req.resolv_conf = settings.resolv_conf;
    TransferResult r = Transfer(req, [](long) { return true; }, [&](std::string_view chunk) { sink.Write(chunk); });
    AttemptResult out;
    out.wrote = r.body_bytes > 0;
    switch (r.kind) {
      case TransferResult::Kind::kBodyError:
        std::rethrow_exception(r.body_error);
      case TransferResult::Kind::kDeadline:
        out.kind = AttemptResult::Kind::kDeadline;
        return out;
      case TransferResult::Kind::kHeaderTimeout:  // not used for tftp
      case TransferResult::Kind::kTransportError:
        switch (r.facts.curl_code) {
          case CURLE_TFTP_NOTFOUND:
            throw FetchError(FetchError::Kind::kNotFound, "resource not found");
          case CURLE_TFTP_PERM:
          case CURLE_TFTP_ILLEGAL:
          case CURLE_URL_MALFORMAT:
            throw FetchError(FetchError::Kind::kFailed, DescribeTransferError(r.facts));
          default:
            out.kind = AttemptResult::Kind::kRetry;
            out.note = DescribeTransferError(r.facts);
            return out;
        }
      case TransferResult::Kind::kDone:
        break;
    }
    sink.Finish();
    out.note = std::to_string(r.body_bytes) + " bytes";
    return out;
  });
}

}  // namespace flint::agent
