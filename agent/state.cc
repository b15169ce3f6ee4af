#include "agent/state.h"


#include "agent/error.h"
#include "agent/os/atomic_file.h"
#include "agent/os/files.h"

namespace flint::agent {
namespace {

using nlohmann::json;

constexpr const char* kFetchedConfigs = "fetchedConfigs";
constexpr const char* kLuksKeys = "luksPersistKeyFiles";
constexpr const char* kNotated = "notatedDirectories";
constexpr const char* kProviderFiles = "providerOutputFiles";
constexpr const char* kLuksVolumes = "luksVolumes";

Failure BadState(const std::string& why) { return Failure("parsing the state").Cause(why); }

}  // namespace

void State::RecordFetchedConfig(const FetchedConfig& c) {
  for (const FetchedConfig& existing : fetched_configs) {
    if (existing == c) return;
  }
  fetched_configs.push_back(c);
}

json StateToJson(const State& state) {
  json j = state.extra.is_object() ? state.extra : json::object();
  json fetched = json::array();
  for (const FetchedConfig& c : state.fetched_configs) {
    json entry = {{"kind", c.kind}, {"source", c.source}, {"referenced", c.referenced}};
    if (!c.sha512.empty()) entry["sha512"] = c.sha512;
    fetched.push_back(std::move(entry));
  }
  j[kFetchedConfigs] = std::move(fetched);
  j[kLuksKeys] = state.luks_persist_key_files;
  j[kNotated] = state.notated_directories;
  j[kProviderFiles] = state.provider_output_files;
  if (!state.luks_volumes.empty()) {
    json volumes = json::array();
    for (const LuksVolume& v : state.luks_volumes) {
      volumes.push_back({{"name", v.name},
                         {"device", v.device},
                         {"uuid", v.uuid},
                         {"keyFile", v.key_file},
                         {"options", v.options}});
    }
    j[kLuksVolumes] = std::move(volumes);
  }
  return j;
}

State StateFromJson(const json& j) {
  if (!j.is_object()) throw BadState("not a JSON object");
  State state;
  for (const auto& [key, value] : j.items()) {
    if (value.is_null()) continue;  // Go writes nil slices and maps as null
    if (key == kFetchedConfigs) {
      if (!value.is_array()) throw BadState(std::string(kFetchedConfigs) + " is not a list");
      for (const json& c : value) {
        if (!c.is_object()) throw BadState(std::string(kFetchedConfigs) + " entry is not an object");
        FetchedConfig fc;
        fc.kind = c.value("kind", "");
        fc.source = c.value("source", "");
        fc.referenced = c.value("referenced", false);
        fc.sha512 = c.value("sha512", "");
        state.fetched_configs.push_back(std::move(fc));
      }
    } else if (key == kLuksKeys) {
      if (!value.is_object()) throw BadState(std::string(kLuksKeys) + " is not an object");
      for (const auto& [name, contents] : value.items()) {
        if (!contents.is_string()) throw BadState(std::string(kLuksKeys) + " value is not a string");
        state.luks_persist_key_files[name] = contents.get<std::string>();
      }
    } else if (key == kNotated) {
      if (!value.is_array()) throw BadState(std::string(kNotated) + " is not a list");
      for (const json& d : value) {
        if (!d.is_string()) throw BadState(std::string(kNotated) + " entry is not a string");
        state.notated_directories.push_back(d.get<std::string>());
      }
    } else if (key == kLuksVolumes) {
      if (!value.is_array()) throw BadState(std::string(kLuksVolumes) + " is not a list");
      for (const json& v : value) {
        if (!v.is_object()) throw BadState(std::string(kLuksVolumes) + " entry is not an object");
        state.luks_volumes.push_back({v.value("name", ""), v.value("device", ""), v.value("uuid", ""),
                                      v.value("keyFile", ""), v.value("options", std::vector<std::string>{})});
      }
    } else if (key == kProviderFiles) {
      if (!value.is_array()) throw BadState(std::string(kProviderFiles) + " is not a list");
      state.provider_output_files = value;
    } else {
      state.extra[key] = value;
    }
  }
  return state;
}

State LoadState(const std::filesystem::path& path) {
  std::optional<std::string> bytes = ReadFileIfExists(path, "reading the state file");
  if (!bytes) return State{};
  json j = json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw Failure("parsing the state file").Path(path.string()).Cause("not JSON");
  try {
    return StateFromJson(j);
  } catch (const Failure& f) {
    throw Failure("parsing the state file").Path(path.string()).Cause(f.cause());
  } catch (const json::exception& e) {
    throw Failure("parsing the state file").Path(path.string()).Cause(e.what());
  }
}

void SaveState(const std::filesystem::path& path, const State& state) {
  MakeDirectories(path.parent_path(), 0700, "creating the directory of the state file");
  WriteFileAtomic(path, StateToJson(state).dump() + "\n", 0600);
}

}  // namespace flint::agent
