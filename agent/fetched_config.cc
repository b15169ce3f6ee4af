#include "agent/fetched_config.h"

#include "agent/digest.h"
#include "schema/data_url.h"

namespace flint::agent {

std::string DescribeSource(std::string_view url) {
  if (schema::IsDataUrl(url)) return "a data URL";
  return "'" + RedactUrl(url) + "'";
}

void RecordFetchedConfig(State& state, Log& log, std::string kind, std::string_view source, bool referenced,
                         std::string_view bytes) {
  FetchedConfig record;
  record.kind = std::move(kind);
  record.source = RedactUrl(source);
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
