#include "agent/fetch/transfer_error.h"

#include <curl/curl.h>
#include <openssl/x509_vfy.h>

#include <catch2/catch.hpp>
#include <cerrno>

namespace flint::agent {
namespace {

TransferFacts Facts(int code) {
  TransferFacts f;
  f.curl_code = code;
  f.host = "api-int.okd.example";
  f.port = "22623";
  f.local_time = "2026-11-22 05:57:59 UTC";
  return f;
}

TEST_CASE("transfer errors: DNS names the host and the resolver", "[transfer-error]") {
  TransferFacts f = Facts(CURLE_COULDNT_RESOLVE_HOST);
  f.nameservers = {"192.168.120.101"};
  CHECK(DescribeTransferError(f) ==
        "DNS lookup of 'api-int.okd.example' failed (resolver 192.168.120.101 from /etc/resolv.conf)");
  f.nameservers = {};
  CHECK(DescribeTransferError(f) == "DNS lookup of 'api-int.okd.example' failed (no nameserver in /etc/resolv.conf)");
  f = Facts(CURLE_COULDNT_RESOLVE_PROXY);
  f.proxy = "http://***@proxy.example:3128";
  f.nameservers = {"10.0.0.2", "10.0.0.3"};
  CHECK(DescribeTransferError(f) ==
        "DNS lookup of the proxy 'proxy.example:3128' failed (resolver 10.0.0.2, 10.0.0.3 from /etc/resolv.conf)");
}

TEST_CASE("transfer errors: connections name address and port", "[transfer-error]") {
  TransferFacts f = Facts(CURLE_COULDNT_CONNECT);
  f.os_errno = ECONNREFUSED;
  f.remote_ip = "192.168.120.101";
  CHECK(DescribeTransferError(f) == "connection refused by api-int.okd.example:22623 (192.168.120.101:22623)");
  f.os_errno = EHOSTUNREACH;
  CHECK(DescribeTransferError(f) ==
        "no route to api-int.okd.example:22623 (192.168.120.101:22623) (host unreachable)");
  f.proxy = "http://127.0.0.1:3128";
  f.os_errno = ECONNREFUSED;
  CHECK(DescribeTransferError(f) == "connection refused by the proxy 127.0.0.1:3128");
  f = Facts(CURLE_OPERATION_TIMEDOUT);
  f.connect_timeout = 30'000'000'000;
  CHECK(DescribeTransferError(f) == "connecting to api-int.okd.example:22623 timed out after 30s");
  f = Facts(CURLE_RECV_ERROR);
  f.os_errno = ECONNRESET;
  f.body_bytes = 4096;
  f.connected = true;
  CHECK(DescribeTransferError(f) ==
        "the connection to api-int.okd.example:22623 broke after 4096 bytes of the body: connection reset by peer");
}

TEST_CASE("transfer errors: TLS failures are told apart", "[transfer-error]") {
  TransferFacts f = Facts(CURLE_PEER_FAILED_VERIFICATION);
  f.tls.verify_error = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
  f.tls.verify_error_text = "unable to get local issuer certificate";
  f.tls.failing = {"CN=api-int.okd.example", "CN=root-ca,OU=openshift", "2026-11-21 00:00:00 UTC",
                   "2026-11-22 00:00:00 UTC", "DNS:api-int.okd.example"};
  CHECK(DescribeTransferError(f) ==
        "TLS: the certificate of api-int.okd.example:22623 ('CN=api-int.okd.example') is signed by an unknown "
        "authority ('CN=root-ca,OU=openshift'; unable to get local issuer certificate): add the CA to "
        "ignition.security.tls.certificateAuthorities");
  f.missing_trust_store = "/etc/ssl/certs/ca-certificates.crt";
  CHECK_THAT(DescribeTransferError(f),
             Catch::EndsWith("ignition.security.tls.certificateAuthorities (there is no system trust store: "
                             "'/etc/ssl/certs/ca-certificates.crt' does not exist)"));
  f.missing_trust_store.clear();

  f.tls.verify_error = X509_V_ERR_CERT_HAS_EXPIRED;
  CHECK(DescribeTransferError(f) ==
        "TLS: the certificate of api-int.okd.example:22623 ('CN=api-int.okd.example') has expired: it is valid "
        "from 2026-11-21 00:00:00 UTC until 2026-11-22 00:00:00 UTC, and the local clock says 2026-11-22 05:57:59 "
        "UTC (if the clock is wrong, fix the time)");

  f.tls.verify_error = X509_V_ERR_CERT_NOT_YET_VALID;
  f.tls.error_depth = 1;
  f.tls.failing.subject = "CN=root-ca,OU=openshift";
  CHECK(DescribeTransferError(f) ==
        "TLS: a certificate in the chain of api-int.okd.example:22623 ('CN=root-ca,OU=openshift') is not valid "
        "yet: it is valid from 2026-11-21 00:00:00 UTC until 2026-11-22 00:00:00 UTC, and the local clock says "
        "2026-11-22 05:57:59 UTC (if the clock is wrong, fix the time)");

  f.tls = {};
  f.tls.saw_leaf = true;
  f.tls.leaf.subject = "CN=wrong.example";
  f.tls.leaf.names = "DNS:wrong.example, IP:10.9.9.9";
  CHECK(DescribeTransferError(f) ==
        "TLS: the certificate of api-int.okd.example:22623 is not valid for the name 'api-int.okd.example' (it is "
        "for DNS:wrong.example, IP:10.9.9.9)");
}

TEST_CASE("transfer errors: anything else keeps curl's words", "[transfer-error]") {
  TransferFacts f = Facts(CURLE_WEIRD_SERVER_REPLY);
  f.curl_message = "Unsupported HTTP version in response";
  CHECK(DescribeTransferError(f) == "fetching from api-int.okd.example:22623 failed: Unsupported HTTP version in response");
}

TEST_CASE("transfer errors: nameservers from resolv.conf", "[transfer-error]") {
  CHECK(ParseNameservers("# generated\nsearch okd.example\nnameserver 192.168.120.101\nnameserver  fd00::1 \n"
                         "options edns0\n") == std::vector<std::string>{"192.168.120.101", "fd00::1"});
  CHECK(ParseNameservers("").empty());
}

}  // namespace
}  // namespace flint::agent
