// The stages flint runs, one per process, in boot order: fetch-offline,
// fetch, kargs, disks, mount, files, umount. Each is a function taking an
// agent::StageContext; the engine (agent/engine.h) runs the one -stage names.
#pragma once

#include <string_view>
#include <vector>

#include "agent/stage_context.h"
#include "schema/model.h"

namespace flint::stages {

// Every stage, in boot order.
const agent::StageTable& StageTable();

// The stage names, in boot order.
const std::vector<std::string_view>& StageNames();

// fetch-offline: the config is fetched and cached by the engine; the stage
// then asks for networking (agent::NeedNet) when the config refers to
// anything remote.
void RunFetchOffline(agent::StageContext& ctx);
// fetch: the engine fetched and cached the config with networking up.
void RunFetch(agent::StageContext& ctx);

// True when the config has a resource whose URL needs networking, a tang
// server without an advertisement, or a custom clevis pin with needsNetwork
// (upstream's configNeedsNet). Pure.
bool ConfigNeedsNet(const schema::Config& config);

}  // namespace flint::stages
