// The ignition section: merged and replaced configs, CAs (3.0 references vs
// 3.1 resources), proxies; kernel arguments and passwd duplicates.
#include <catch2/catch.hpp>

#include "schema/validate_test_helpers.h"

namespace flint::schema {
namespace {

using testing::IgnitionReportOf;
using testing::ReportOf;

TEST_CASE("3.0 config and CA references") {
  CHECK(IgnitionReportOf("3.0.0",
                         R"("config":{"merge":[{},{"source":"ftp://x"},{"source":"http://a"},{"source":"http://a"}],"replace":{"source":"gs://b/o"}},)"
                         R"("security":{"tls":{"certificateAuthorities":[{},{"source":"data:,x"},{"source":"data:,x","verification":{"hash":"sha256-00"}}]}})") ==
        "error at $.ignition.config.merge.1.source, line 1 col 64: invalid url scheme\n"
        "error at $.ignition.config.replace.source, line 1 col 140: invalid url scheme\n"
        "error at $.ignition.security.tls.certificateAuthorities.0.source, line 1 col 198: "
        "invalid url scheme\n"
        "error at $.ignition.security.tls.certificateAuthorities.2.verification.hash, line 1 col "
        "265: unrecognized hash function\n"
        "error at $.ignition.config.merge.3, line 1 col 97: duplicate entry defined\n"
        "error at $.ignition.security.tls.certificateAuthorities.2, line 1 col 222: duplicate "
        "entry defined\n");
}

TEST_CASE("3.1+: merged configs and CAs need a source; proxies") {
  const std::string fields =
      R"("config":{"merge":[{},{"source":"ftp://x"},{"verification":{"hash":"sha512-00"}}],"replace":{"verification":{"hash":"sha512-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}},)"
      R"("security":{"tls":{"certificateAuthorities":[{},{"source":"data:,x"},{"source":"data:,x"}]}},)"
      R"("proxy":{"httpProxy":"ftp://p","httpsProxy":"","noProxy":["a","a"]})";
  CHECK(IgnitionReportOf("3.1.0", fields) ==
        "error at $.ignition.config.merge.0, line 1 col 51: source is required\n"
        "error at $.ignition.config.merge.1, line 1 col 54: invalid url scheme\n"
        "error at $.ignition.config.merge.2, line 1 col 75: source is required\n"
        "error at $.ignition.config.merge.1.source, line 1 col 64: invalid url scheme\n"
        "error at $.ignition.config.merge.2.verification.hash, line 1 col 99: source must be "
        "specified if verification is specified\n"
        "error at $.ignition.config.merge.2.verification.hash, line 1 col 99: incorrect size for "
        "hash sum\n"
        "error at $.ignition.config.replace.verification.hash, line 1 col 148: source must be "
        "specified if verification is specified\n"
        "error at $.ignition.proxy.httpProxy, line 1 col 403: proxies must be http(s)\n"
        "error at $.ignition.proxy.httpsProxy, line 1 col 426: proxies must be http(s)\n"
        "error at $.ignition.security.tls.certificateAuthorities.0, line 1 col 334: source is "
        "required\n"
        "error at $.ignition.config.merge.2, line 1 col 75: duplicate entry defined\n"
        "error at $.ignition.proxy.noProxy.1, line 1 col 444: duplicate entry defined\n"
        "error at $.ignition.security.tls.certificateAuthorities.2, line 1 col 358: duplicate "
        "entry defined\n");
}

TEST_CASE("proxies: http(s), plain HTTP for HTTPS warns") {
  CHECK(IgnitionReportOf("3.4.0", R"("proxy":{"httpProxy":"http://[::1]a","httpsProxy":"https://p"})") ==
        "error at $.ignition.proxy.httpProxy, line 1 col 53: unable to parse url\n");
  CHECK(IgnitionReportOf("3.2.0", R"("proxy":{"httpProxy":"http://p:3128","httpsProxy":"http://p:3128"})") ==
        "warning at $.ignition.proxy.httpsProxy, line 1 col 82: insecure plaintext HTTP proxy "
        "specified for HTTPS resources\n");
  CHECK(IgnitionReportOf("3.0.0", R"("proxy":{"httpProxy":"ftp://p"})") ==
        "warning at $.ignition.proxy, line 1 col 32: unused key proxy\n");
}

TEST_CASE("kernel arguments share one key space (3.3+)") {
  CHECK(ReportOf("3.3.0", R"("kernelArguments":{"shouldExist":["a","b","a"],"shouldNotExist":["c","b"]})") ==
        "error at $.kernelArguments.shouldExist.2, line 1 col 75: duplicate entry defined\n"
        "error at $.kernelArguments.shouldNotExist.1, line 1 col 102: duplicate entry defined\n");
  CHECK(ReportOf("3.2.0", R"("kernelArguments":{"shouldExist":["a"]})") ==
        "warning at $.kernelArguments, line 1 col 33: unused key kernelArguments\n");
}

TEST_CASE("passwd: users and groups by name; a user's keys and groups do not repeat") {
  CHECK(ReportOf("3.4.0",
                 R"("passwd":{"users":[{"name":"core","sshAuthorizedKeys":["k","k"],"groups":["wheel","wheel"]},{"name":"core"}],"groups":[{"name":"g"},{"name":"g"}]})") ==
        "error at $.passwd.groups.1, line 1 col 165: duplicate entry defined\n"
        "error at $.passwd.users.1, line 1 col 125: duplicate entry defined\n"
        "error at $.passwd.users.0.groups.1, line 1 col 115: duplicate entry defined\n"
        "error at $.passwd.users.0.sshAuthorizedKeys.1, line 1 col 92: duplicate entry defined\n");
}

TEST_CASE("unused keys come after the rules, as upstream reports them") {
  CHECK(ReportOf("3.4.0", R"("storage":{"files":[{"path":"rel","bogus":1}]})") ==
        "error at $.storage.files.0.path, line 1 col 61: path not absolute\n"
        "warning at $.storage.files.0.bogus, line 1 col 67: unused key bogus\n");
}

}  // namespace
}  // namespace flint::schema
