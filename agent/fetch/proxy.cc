#include "agent/fetch/proxy.h"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <optional>

namespace flint::agent {
namespace {

// An address as 16 bytes; IPv4 ones are IPv4-mapped, as Go's net.IP.
struct Ip {
  std::array<uint8_t, 16> bytes{};
  bool v4 = false;
};

std::optional<Ip> ParseIp(std::string_view text) {
  std::string s(text);
  Ip ip;
  in_addr v4;
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    ip.v4 = true;
    ip.bytes[10] = ip.bytes[11] = 0xff;
    std::memcpy(ip.bytes.data() + 12, &v4, 4);
    return ip;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, s.c_str(), &v6) != 1) return std::nullopt;
  std::memcpy(ip.bytes.data(), &v6, 16);
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  ip.v4 = std::memcmp(ip.bytes.data(), kMapped, 12) == 0;
  return ip;
}

bool IsLoopback(const Ip& ip) {
  if (ip.v4) return ip.bytes[12] == 127;
  static constexpr uint8_t kOne[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return std::memcmp(ip.bytes.data(), kOne, 16) == 0;
}

// The first `bits` bits of a and b agree, counting from `offset` bytes in.
bool PrefixEqual(const Ip& a, const Ip& b, size_t offset, int bits) {
  for (size_t i = offset; bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((a.bytes[i] & mask) != (b.bytes[i] & mask)) return false;
  }
  return true;
}

struct Cidr {
  Ip network;
  int bits = 0;  // counted within the 4 bytes of an IPv4 network
};

// Go's net.ParseCIDR: an address, '/', a decimal prefix length in range.
std::optional<Cidr> ParseCidr(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::optional<Ip> ip = ParseIp(text.substr(0, slash));
  std::string_view len = text.substr(slash + 1);
  if (!ip || len.empty() || len.size() > 3) return std::nullopt;
  int bits = 0;
  for (char c : len) {
    if (c < '0' || c > '9') return std::nullopt;
    bits = bits * 10 + (c - '0');
  }
  bool written_v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  if (bits > (written_v4 ? 32 : 128)) return std::nullopt;
  // An IPv6-written prefix over IPv4-mapped space acts on the IPv4 part.
  if (!written_v4 && ip->v4) bits = bits >= 96 ? bits - 96 : 0;
  return Cidr{*ip, bits};
}

bool CidrContains(const Cidr& cidr, const Ip& ip) {
  if (cidr.network.v4 != ip.v4) return false;
  return cidr.network.v4 ? PrefixEqual(cidr.network, ip, 12, cidr.bits)
                         : PrefixEqual(cidr.network, ip, 0, cidr.bits);
}

// Go's net.SplitHostPort.
bool SplitHostPort(std::string_view s, std::string_view& host, std::string_view& port) {
  if (!s.empty() && s[0] == '[') {
    size_t end = s.find(']');
    if (end == std::string_view::npos || end + 1 >= s.size() || s[end + 1] != ':') return false;
    host = s.substr(1, end - 1);
    port = s.substr(end + 2);
    return port.find(':') == std::string_view::npos;
  }
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) return false;
  host = s.substr(0, colon);
  port = s.substr(colon + 1);
  return host.find(':') == std::string_view::npos && host.find('[') == std::string_view::npos &&
         host.find(']') == std::string_view::npos && port.find('[') == std::string_view::npos &&
         port.find(']') == std::string_view::npos;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Whether one noProxy entry (lower-cased, trimmed, not "*") exempts host:port.
bool EntryMatches(std::string_view entry, const std::string& host, const std::optional<Ip>& ip,
                  std::string_view port) {
  if (std::optional<Cidr> cidr = ParseCidr(entry)) return ip && CidrContains(*cidr, *ip);
  std::string_view ehost = entry;
  std::string_view eport;
  if (SplitHostPort(entry, ehost, eport)) {
    if (ehost.empty()) return false;
  } else {
    ehost = entry;
    eport = {};
  }
  bool port_ok = eport.empty() || eport == port;
  if (std::optional<Ip> eip = ParseIp(ehost)) return ip && eip->bytes == ip->bytes && port_ok;
  if (ehost.empty()) return false;
  std::string domain(ehost);
  if (domain.rfind("*.", 0) == 0) domain = domain.substr(1);
  bool match_host = domain[0] != '.';
  if (match_host) domain = "." + domain;
  return (EndsWith(host, domain) || (match_host && host == std::string_view(domain).substr(1))) && port_ok;
}

bool UseProxy(const ProxyConfig& config, std::string_view host, std::string_view port) {
  if (host == "localhost") return false;
  std::optional<Ip> ip = ParseIp(host);
  if (ip && IsLoopback(*ip)) return false;
  std::string lhost = Lower(Trim(host));
  std::string joined;
  for (const std::string& item : config.no_proxy) joined += (joined.empty() ? "" : ",") + item;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t comma = joined.find(',', start);
    if (comma == std::string::npos) comma = joined.size();
    std::string entry = Lower(Trim(std::string_view(joined).substr(start, comma - start)));
    start = comma + 1;
    if (entry.empty()) continue;
    if (entry == "*") return false;
    if (EntryMatches(entry, lhost, ip, port)) return false;
  }
  return true;
}

std::string_view DefaultPort(std::string_view scheme) {
  if (scheme == "https") return "443";
  if (scheme == "socks5") return "1080";
  return "80";
}

// "scheme://[userinfo@]host[:port][/...]" for curl, with the default port
// made explicit (curl's own default proxy port is 1080 whatever the scheme).
std::string NormaliseProxy(std::string_view setting) {
  std::string_view scheme = "http";
  std::string_view rest = setting;
  size_t sep = setting.find("://");
  if (sep != std::string_view::npos) {
    std::string lower = Lower(setting.substr(0, sep));
    if (lower == "http" || lower == "https" || lower == "socks5") {
      scheme = lower == "http" ? "http" : lower == "https" ? "https" : "socks5";
      rest = setting.substr(sep + 3);
    }
  }
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view hostport = authority.substr(authority.rfind('@') == std::string_view::npos
                                                   ? 0
                                                   : authority.rfind('@') + 1);
  bool has_port = hostport.rfind(':') != std::string_view::npos &&
                  (hostport.rfind(']') == std::string_view::npos || hostport.rfind(':') > hostport.rfind(']'));
  // Go's SOCKS5 dialer lets the proxy resolve names: curl calls that socks5h.
  std::string out(scheme == "socks5" ? "socks5h" : scheme);
  out.append("://").append(authority);
  if (!has_port) out.append(":").append(DefaultPort(scheme));
  return out;
}

}  // namespace

std::string ProxyForRequest(const ProxyConfig& config, std::string_view scheme, std::string_view host,
                            std::string_view port) {
  const std::string& setting = scheme == "https" ? config.https_proxy : scheme == "http" ? config.http_proxy : "";
  if (setting.empty()) return "";
  if (port.empty()) port = DefaultPort(scheme);
  if (!UseProxy(config, host, port)) return "";
  return NormaliseProxy(setting);
}

}  // namespace flint::agent
