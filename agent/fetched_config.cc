#include "agent/fetched_config.h"

#include "agent/digest.h"
#include "schema/data_url.h"

namespace flint::agent {

std::string RedactedUrl(std::string_view url) {
  if (schema::IsDataUrl(url)) return "data:";
  std::string_view rest = url;
  size_t cut = rest.find_first_of("?#");
  if (cut != std::string_view::npos) rest = rest.substr(0, cut);
  size_t scheme_end = rest.find("://");
  if (scheme_end == std::string_view::npos) return std::string(rest);
  size_t authority = scheme_end + 3;
  size_t authority_end = rest.find('/', authority);
  if (authority_end == std::string_view::npos) authority_end = rest.size();
  size_t at = rest.substr(authority, authority_end - authority).rfind('@');
  if (at == std::string_view::npos) return std::string(rest);
  return std::string(rest.substr(0, authority)) + std::string(rest.substr(authority + at + 1));
}

std::string DescribeSource(std::string_view url) {
  if (schema::IsDataUrl(url)) return "a data URL";
  return "'" + RedactedUrl(url) + "'";
}

void RecordFetchedConfig(State& state, Log& log, std::string kind, std::string_view source, bool referenced,
                         std::string_view bytes) {
  FetchedConfig record;
  record.kind = std::move(kind);
  record.source = RedactedUrl(source);
  record.referenced = referenced;
  record.sha512 = Sha512Hex(bytes);
  state.RecordFetchedConfig(record);
  std::string message = std::string("fetched ") + (referenced ? "referenced " : "") + record.kind + " config from \"" +
                        record.source + "\" (SHA-512 " + record.sha512 + ")";
  log.Info(std::move(message), {{"MESSAGE_ID", kFetchedConfigMessageId},
                                {"IGNITION_CONFIG_TYPE", record.kind},
                                {"IGNITION_CONFIG_SRC", record.source},
                                {"IGNITION_CONFIG_REFERENCED", referenced ? "true" : "false"},
                                {"FLINT_CONFIG_SHA512", record.sha512}});
}

}  // namespace flint::agent
