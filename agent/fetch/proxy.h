// Choosing the proxy for a request from the config's ignition.proxy, with
// the semantics upstream gets from Go's golang.org/x/net/http/httpproxy:
// httpProxy for http URLs, httpsProxy for https URLs, never for localhost or
// loopback addresses, and not for hosts that noProxy names (IP, CIDR, domain
// and its subdomains, `.domain` for subdomains only, `*`, each with an
// optional port). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace flint::agent {

struct ProxyConfig {
  std::string http_proxy;
  std::string https_proxy;
  std::vector<std::string> no_proxy;  // upstream joins them with ',' and splits again
};

// The proxy URL for a request to scheme://host:port (host without IPv6
// brackets; port empty for the scheme's default), normalised for libcurl:
// "http://proxy:3128", "socks5h://[::1]:1080", with credentials kept when the
// setting has them; "" for a direct connection. A setting without a scheme
// (or with one other than http, https, socks5) means http://<setting>, and a
// proxy without a port gets its scheme's default (80, 443, 1080), as in Go.
std::string ProxyForRequest(const ProxyConfig& config, std::string_view scheme, std::string_view host,
                            std::string_view port);

}  // namespace flint::agent
