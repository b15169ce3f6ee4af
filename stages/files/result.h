// /etc/.ignition-result.json, written at the end of the files stage (mode
// 0600): which boot provisioned the machine, when, whether a user config was
// provided, and the previous report nested when the file already existed:
//   {"provisioningBootID":"…","provisioningDate":"2024-05-01T12:00:00Z",
//    "userConfigProvided":true,"prevReport":{…}}
#pragma once

#include <ctime>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/os/root.h"
#include "agent/stage_context.h"
#include "stages/files/relabel.h"

namespace flint::stages {

inline constexpr const char* kResultPath = "/etc/.ignition-result.json";

// Where the facts come from; tests replace them.
struct ResultSources {
  std::string boot_id_path = "/proc/sys/kernel/random/boot_id";
  std::function<std::time_t()> now = [] { return std::time(nullptr); };
};

// "2006-01-02T15:04:05Z" (UTC). Pure.
std::string Rfc3339Utc(std::time_t t);

// The report, keys in upstream's order. Pure.
std::string ResultJson(const std::string& boot_id, const std::string& date, bool user_config_provided,
                       const std::optional<nlohmann::ordered_json>& previous);

// Whether the fetch stage found a user config: its flag file exists.
bool UserConfigProvided(const agent::Flags& flags);

void WriteResultFile(agent::StageContext& ctx, agent::Root& root, const ResultSources& sources = {});

}  // namespace flint::stages
