#include "agent/fetch/transfer_error.h"

#include <curl/curl.h>
#include <openssl/x509_vfy.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "agent/fetch/curl.h"

namespace flint::agent {
namespace {

std::string Seconds(Nanoseconds d) { return FormatGoDuration(d); }

std::string Target(const TransferFacts& f) {
  std::string target = HostPort(f.host, f.port);
  if (!f.remote_ip.empty() && f.remote_ip != f.host && f.proxy.empty())
    target += " (" + HostPort(f.remote_ip, f.port) + ")";
  return target;
}

std::string Resolvers(const TransferFacts& f) {
  if (f.nameservers.empty()) return "no nameserver in " + f.resolv_conf;
  std::string list;
  for (const std::string& ns : f.nameservers) list += (list.empty() ? "" : ", ") + ns;
  return "resolver " + list + " from " + f.resolv_conf;
}

// The name of the proxy in a redacted proxy URL: "proxy:3128".
std::string ProxyHost(const std::string& proxy) {
  size_t sep = proxy.find("://");
  std::string rest = sep == std::string::npos ? proxy : proxy.substr(sep + 3);
  size_t at = rest.rfind('@');
  if (at != std::string::npos) rest = rest.substr(at + 1);
  return rest.substr(0, rest.find('/'));
}

std::string ConnectFailure(const TransferFacts& f) {
  std::string what = f.proxy.empty() ? Target(f) : "the proxy " + ProxyHost(f.proxy);
  switch (f.os_errno) {
    case ECONNREFUSED:
      return "connection refused by " + what;
    case ETIMEDOUT:
      return "connecting to " + what + " timed out";
    case EHOSTUNREACH:
      return "no route to " + what + " (host unreachable)";
    case ENETUNREACH:
      return "no route to " + what + " (network unreachable)";
    case 0:
      return "connecting to " + what + " failed: " + f.curl_message;
    default:
      return "connecting to " + what + " failed: " + std::strerror(f.os_errno);
  }
}

bool UnknownAuthority(int err) {
  return err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY || err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
         err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT || err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
         err == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE;
}

std::string CertName(const TransferFacts& f) {
  const std::string& subject = f.tls.failing.subject;
  std::string which = f.tls.error_depth == 0 ? "the certificate of " + HostPort(f.host, f.port)
                                             : "a certificate in the chain of " + HostPort(f.host, f.port);
  return subject.empty() ? which : which + " ('" + subject + "')";
}

std::string TlsFailure(const TransferFacts& f) {
  const TlsFacts& t = f.tls;
  const CertInfo& c = t.failing;
  std::string window = "valid from " + c.not_before + " until " + c.not_after + ", and the local clock says " +
                       f.local_time;
  switch (t.verify_error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "TLS: " + CertName(f) + " has expired: it is " + window + " (if the clock is wrong, fix the time)";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "TLS: " + CertName(f) + " is not valid yet: it is " + window + " (if the clock is wrong, fix the time)";
    case 0:
      break;
    default:
      if (UnknownAuthority(t.verify_error)) {
        std::string text = "TLS: " + CertName(f) + " is signed by an unknown authority ('" + c.issuer + "'; " +
                           t.verify_error_text + "): add the CA to ignition.security.tls.certificateAuthorities";
        if (f.missing_trust_store.empty()) return text;
        return text + " (there is no system trust store: '" + f.missing_trust_store + "' does not exist)";
      }
      return "TLS: " + CertName(f) + " was refused: " + t.verify_error_text;
  }
  // The chain was fine: the name check failed.
  std::string names = t.leaf.names.empty() ? "subject '" + t.leaf.subject + "'" : t.leaf.names;
  return "TLS: the certificate of " + HostPort(f.host, f.port) + " is not valid for the name '" + f.host +
         "' (it is for " + names + ")";
}

}  // namespace

std::string DescribeTransferError(const TransferFacts& f) {
  switch (f.curl_code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return "DNS lookup of '" + f.host + "' failed (" + Resolvers(f) + ")";
    case CURLE_COULDNT_RESOLVE_PROXY:
      return "DNS lookup of the proxy '" + ProxyHost(f.proxy) + "' failed (" + Resolvers(f) + ")";
    case CURLE_COULDNT_CONNECT:
      return ConnectFailure(f);
    case CURLE_OPERATION_TIMEDOUT:
      if (!f.connected) {
        std::string what = f.proxy.empty() ? Target(f) : "the proxy " + ProxyHost(f.proxy);
        return "connecting to " + what + " timed out after " + Seconds(f.connect_timeout);
      }
      return "the transfer from " + Target(f) + " timed out after " + std::to_string(f.body_bytes) + " bytes";
    case CURLE_PEER_FAILED_VERIFICATION:
      return TlsFailure(f);
    case CURLE_SSL_CONNECT_ERROR:
      if (f.tls.verify_error != 0) return TlsFailure(f);
      return "TLS handshake with " + Target(f) + " failed: " + f.curl_message;
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return "TLS: could not load the trusted certificates: " + f.curl_message;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: {
      std::string cause = f.os_errno == ECONNRESET ? "connection reset by peer" : f.curl_message;
      return "the connection to " + Target(f) + " broke after " + std::to_string(f.body_bytes) +
             " bytes of the body: " + cause;
    }
    case CURLE_PROXY:
      return "the proxy " + ProxyHost(f.proxy) + " could not connect to " + HostPort(f.host, f.port) + ": " +
             f.curl_message;
    default: {
      std::string text = f.curl_message.empty() ? Curl().easy_strerror(static_cast<CURLcode>(f.curl_code))
                                                : f.curl_message;
      return "fetching from " + Target(f) + " failed: " + text;
    }
  }
}

std::vector<std::string> ParseNameservers(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key;
    std::string value;
    if (words >> key >> value && key == "nameserver") out.push_back(value);
  }
  return out;
}

}  // namespace flint::agent
