#include "stages/files/result.h"

#include <sys/stat.h>

#include "agent/error.h"
#include "agent/os/files.h"
#include "agent/os/root.h"

namespace flint::stages {

std::string Rfc3339Utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string ResultJson(const std::string& boot_id, const std::string& date, bool user_config_provided,
                       const std::optional<nlohmann::ordered_json>& previous) {
  nlohmann::ordered_json j;
  j["provisioningBootID"] = boot_id;
  j["provisioningDate"] = date;
  j["userConfigProvided"] = user_config_provided;
  if (previous) j["prevReport"] = *previous;
  return j.dump();
}

bool UserConfigProvided(const agent::Flags& flags) {
  struct stat st;
  return ::stat(flags.config_provided.c_str(), &st) == 0;
}

void WriteResultFile(agent::StageContext& ctx, agent::Root& root, const ResultSources& sources) {
  ctx.log.Step("writing the result file '" + root.Display(kResultPath) + "'", [&] {
    std::string boot_id = agent::ReadFile(sources.boot_id_path, "reading the boot ID");
    while (!boot_id.empty() && (boot_id.back() == '\n' || boot_id.back() == ' ')) boot_id.pop_back();
    std::optional<nlohmann::ordered_json> previous;
    if (std::optional<std::string> old = root.ReadFile(kResultPath)) {
      nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(*old, nullptr, false);
      if (parsed.is_discarded()) {
        ctx.log.Warning("the previous result file '" + root.Display(kResultPath) + "' is not JSON: not keeping it");
      } else {
        previous = std::move(parsed);
      }
    }
    std::string json = ResultJson(boot_id, Rfc3339Utc(sources.now()), UserConfigProvided(ctx.flags), previous);
    root.WriteFile(kResultPath, json, 0600);
  });
}

}  // namespace flint::stages
