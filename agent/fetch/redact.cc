#include "agent/fetch/redact.h"

#include <array>
#include <cctype>

#include "schema/data_url.h"

namespace flint::agent {
namespace {

bool LooksSecret(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 7> kWords = {"sig", "token", "key", "secret", "pass", "cred", "auth"};
  for (std::string_view w : kWords)
    if (lower.find(w) != std::string::npos) return true;
  return false;
}

std::string RedactQuery(std::string_view query) {
  std::string out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(start, amp - start);
    size_t eq = pair.find('=');
    if (!out.empty() || start > 0) out += '&';
    if (eq != std::string_view::npos && LooksSecret(pair.substr(0, eq))) {
      out += std::string(pair.substr(0, eq)) + "=***";
    } else {
      out += pair;
    }
    start = amp + 1;
  }
  return out;
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  if (schema::IsDataUrl(url)) return "data:";
  std::string_view rest = url;
  std::string out;
  size_t sep = url.find("://");
  size_t start = sep == std::string_view::npos ? 0 : sep + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string_view authority = url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    out = std::string(url.substr(0, start)) + "***@";
    rest = url.substr(start + at + 1);
  }
  size_t q = rest.find('?');
  if (q == std::string_view::npos) return out + std::string(rest);
  size_t hash = rest.find('#', q);
  std::string_view query = rest.substr(q + 1, hash == std::string_view::npos ? std::string_view::npos : hash - q - 1);
  out += std::string(rest.substr(0, q + 1)) + RedactQuery(query);
  if (hash != std::string_view::npos) out += rest.substr(hash);
  return out;
}

}  // namespace flint::agent
