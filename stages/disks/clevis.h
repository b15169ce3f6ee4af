// Clevis binding of a LUKS volume for the disks stage, through the `clevis`
// tools (clevis luks bind/unlock), as upstream Ignition does: tang servers,
// tpm2 and a threshold become one `sss` pin; a custom pin is passed as is.
// The argv and the pin's JSON are built by pure functions; BindClevis runs
// them.
#pragma once

#include <string>

#include "agent/os/runner.h"
#include "agent/stage_context.h"
#include "schema/model.h"
#include "schema/path.h"

namespace flint::stages {

// Whether the volume is to be bound with Clevis at all: schema::ClevisPresent
// (schema/model.h), shared with the config's validation.
using schema::ClevisPresent;

// Whether unlocking needs the network: a tang server, or a custom pin with
// needsNetwork (the files stage writes `_netdev` into /etc/crypttab). Pure.
bool ClevisNeedsNetwork(const schema::Clevis& clevis);

// The pin and its JSON configuration for `clevis luks bind`.
struct ClevisBinding {
  std::string pin;
  std::string config;
  bool operator==(const ClevisBinding&) const = default;
};

// A custom pin as given; otherwise `sss` with
// {"pins":{"tang":[{"url","thp","adv"}],"tpm2":{}},"t":threshold (default 1)}.
// Throws agent::Failure naming the field when an advertisement is not JSON.
// Pure.
ClevisBinding ClevisBindingFor(const schema::Clevis& clevis, const schema::Path& at);

// Where a tang server publishes its advertisement: the URL's path joined
// with "adv" (query kept). Pure.
std::string TangAdvertisementUrl(const std::string& url);

// Upstream closes the volume and reopens it with `clevis luks unlock` only
// when the binding can be satisfied by what was asked for live: tang servers
// whose advertisement was fetched, plus tpm2, reach the threshold. Pure.
bool ClevisCanReopen(const schema::Clevis& clevis);

// clevis luks bind -f -k KEY_FILE -d DEVICE PIN CONFIG. Pure.
agent::Argv ClevisBindArgv(const std::string& clevis, const std::string& key_file, const std::string& device,
                           const ClevisBinding& binding);

// clevis luks unlock -d DEVICE -n NAME. Pure.
agent::Argv ClevisUnlockArgv(const std::string& clevis, const std::string& device, const std::string& name);

// Asks every tang server of `luks` without an advertisement in the config
// for it, through the fetcher (its retries and timeouts: clevis tries once),
// before the volume is formatted. Throws agent::Failure naming the device,
// the tang field and "tang server URL is unreachable: cause".
void FetchTangAdvertisements(agent::StageContext& ctx, const schema::Luks& luks, const schema::Path& at);

// Binds the open volume `luks` on `device` (whose key is in `key_file`),
// checks that Clevis alone unlocks it when it can, and removes the key's
// slot when flint generated the key.
// Throws agent::Failure naming the device, the field and the cause.
void BindClevis(agent::StageContext& ctx, const schema::Luks& luks, const std::string& device,
                const std::string& key_file, bool generated_key, const schema::Path& at);

}  // namespace flint::stages
