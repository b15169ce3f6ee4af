#include "agent/fetch/proxy.h"

#include <catch2/catch.hpp>

namespace flint::agent {
namespace {

struct Case {
  std::vector<std::string> no_proxy;
  const char* scheme;
  const char* host;
  const char* port;
  bool proxied;
};

TEST_CASE("proxy: noProxy entries exempt hosts as Go's httpproxy does", "[proxy]") {
  const std::vector<Case> cases = {
      // No exemptions: everything but loopback goes through the proxy.
      {{}, "http", "example.com", "", true},
      {{}, "https", "10.0.0.1", "22623", true},
      {{}, "http", "localhost", "8080", false},
      {{}, "http", "127.0.0.1", "", false},
      {{}, "http", "127.3.4.5", "80", false},
      {{}, "http", "::1", "80", false},
      {{}, "http", "0.0.0.0", "80", true},
      {{}, "http", "LOCALHOST", "80", true},  // Go compares "localhost" exactly
      // "*" anywhere disables the proxy.
      {{"*"}, "http", "example.com", "", false},
      {{"a.com", " * "}, "https", "10.1.1.1", "", false},
      // Domains match themselves and their subdomains.
      {{"example.com"}, "http", "example.com", "", false},
      {{"example.com"}, "http", "www.example.com", "", false},
      {{"example.com"}, "http", "a.b.example.com", "80", false},
      {{"example.com"}, "http", "notexample.com", "", true},
      {{"example.com"}, "http", "example.com.evil", "", true},
      {{"EXAMPLE.com"}, "http", "Www.Example.COM", "", false},
      // A leading dot (or "*.") matches subdomains only.
      {{".example.com"}, "http", "example.com", "", true},
      {{".example.com"}, "http", "www.example.com", "", false},
      {{"*.example.com"}, "http", "example.com", "", true},
      {{"*.example.com"}, "http", "x.example.com", "", false},
      // Ports: an entry with a port only exempts that port; defaults apply.
      {{"example.com:8080"}, "http", "example.com", "8080", false},
      {{"example.com:8080"}, "http", "example.com", "80", true},
      {{"example.com:80"}, "http", "example.com", "", false},
      {{"example.com:443"}, "https", "example.com", "", false},
      {{"example.com:443"}, "http", "example.com", "", true},
      // IP addresses, with and without port.
      {{"10.0.0.1"}, "http", "10.0.0.1", "", false},
      {{"10.0.0.1"}, "http", "10.0.0.2", "", true},
      {{"10.0.0.1:22623"}, "https", "10.0.0.1", "22623", false},
      {{"10.0.0.1:22623"}, "https", "10.0.0.1", "443", true},
      {{"[2001:db8::1]:443"}, "https", "2001:db8::1", "", false},
      {{"2001:db8::1"}, "https", "2001:db8::1", "8443", false},
      {{"2001:db8::1"}, "https", "2001:db8::2", "8443", true},
      {{"::ffff:10.0.0.1"}, "http", "10.0.0.1", "", false},
      // CIDR blocks.
      {{"10.0.0.0/8"}, "http", "10.200.3.4", "", false},
      {{"10.0.0.0/8"}, "http", "11.0.0.1", "", true},
      {{"192.168.120.0/24"}, "https", "192.168.120.101", "22623", false},
      {{"192.168.120.0/25"}, "https", "192.168.120.200", "22623", true},
      {{"0.0.0.0/0"}, "http", "8.8.8.8", "", false},
      {{"2001:db8::/32"}, "http", "2001:db8:1::5", "", false},
      {{"2001:db8::/32"}, "http", "2001:db9::5", "", true},
      {{"10.0.0.0/8"}, "http", "ten.example.com", "", true},  // CIDRs never match names
      // Entries are split on commas after joining, and trimmed.
      {{"a.com, b.com", "c.com"}, "http", "b.com", "", false},
      {{"a.com,,", ""}, "http", "c.com", "", true},
      // Malformed entries are ignored.
      {{":80"}, "http", "example.com", "80", true},
      {{"10.0.0.0/33"}, "http", "10.0.0.1", "", true},
  };
  ProxyConfig config{"http://proxy.example:3128", "http://proxy.example:3128", {}};
  for (const Case& c : cases) {
    config.no_proxy = c.no_proxy;
    std::string joined;
    for (const auto& e : c.no_proxy) joined += "[" + e + "]";
    INFO("noProxy " << joined << " request " << c.scheme << "://" << c.host << ":" << c.port);
    CHECK(ProxyForRequest(config, c.scheme, c.host, c.port).empty() == !c.proxied);
  }
}

TEST_CASE("proxy: httpProxy for http, httpsProxy for https, nothing else", "[proxy]") {
  ProxyConfig config{"http://plain:3128", "http://secure:3129", {}};
  CHECK(ProxyForRequest(config, "http", "example.com", "") == "http://plain:3128");
  CHECK(ProxyForRequest(config, "https", "example.com", "") == "http://secure:3129");
  CHECK(ProxyForRequest(config, "tftp", "example.com", "") == "");
  CHECK(ProxyForRequest({"", "http://secure:3129", {}}, "http", "example.com", "") == "");
  CHECK(ProxyForRequest({"http://plain:3128", "", {}}, "https", "example.com", "") == "");
}

TEST_CASE("proxy: settings are normalised for curl", "[proxy]") {
  auto proxy = [](std::string setting) {
    return ProxyForRequest({setting, "", {}}, "http", "example.com", "");
  };
  CHECK(proxy("proxy.example:3128") == "http://proxy.example:3128");
  CHECK(proxy("10.0.0.5:3128") == "http://10.0.0.5:3128");
  CHECK(proxy("proxy.example") == "http://proxy.example:80");
  CHECK(proxy("http://proxy.example") == "http://proxy.example:80");
  CHECK(proxy("https://proxy.example") == "https://proxy.example:443");
  CHECK(proxy("HTTPS://proxy.example:8443/") == "https://proxy.example:8443");
  CHECK(proxy("socks5://proxy.example") == "socks5h://proxy.example:1080");
  CHECK(proxy("http://user:pa%40ss@proxy.example:3128") == "http://user:pa%40ss@proxy.example:3128");
  CHECK(proxy("http://user:pass@proxy.example") == "http://user:pass@proxy.example:80");
  CHECK(proxy("http://[2001:db8::1]") == "http://[2001:db8::1]:80");
  CHECK(proxy("http://[2001:db8::1]:3128") == "http://[2001:db8::1]:3128");
}

}  // namespace
}  // namespace flint::agent
