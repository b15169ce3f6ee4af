#include "stages/disks/clevis.h"

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "agent/os/tools.h"
#include "stages/disks/run_for_field.h"

namespace flint::stages {
namespace {

bool Set(const schema::OptString& s) { return s && !s->empty(); }

int Threshold(const schema::Clevis& c) { return c.threshold.value_or(1); }

}  // namespace

void FetchTangAdvertisements(agent::StageContext& ctx, const schema::Luks& luks, const schema::Path& at) {
  for (size_t i = 0; i < luks.clevis.tang.size(); ++i) {
    const schema::Tang& tang = luks.clevis.tang[i];
    if (Set(tang.advertisement)) continue;
    schema::Resource adv;
    adv.source = TangAdvertisementUrl(tang.url);
    schema::Path field = at / "clevis" / "tang" / i;
    try {
      ctx.fetcher.FetchToString(adv, field);
    } catch (const agent::Failure& f) {
      throw agent::Failure("asking the tang server for its advertisement, for LUKS volume '" + luks.name + "' on")
          .Device(*luks.device)
          .Field(field.String())
          .Cause("tang server " + tang.url + " is unreachable: " + (f.cause().empty() ? f.what() : f.cause()));
    }
  }
}

bool ClevisNeedsNetwork(const schema::Clevis& c) { return !c.tang.empty() || c.custom.needs_network.value_or(false); }

ClevisBinding ClevisBindingFor(const schema::Clevis& c, const schema::Path& at) {
  if (Set(c.custom.pin)) return {*c.custom.pin, c.custom.config.value_or("")};
  // Ordered as upstream marshals it: pins (tang, tpm2), then t.
  nlohmann::ordered_json pins = nlohmann::ordered_json::object();
  if (!c.tang.empty()) {
    nlohmann::ordered_json servers = nlohmann::ordered_json::array();
    for (size_t i = 0; i < c.tang.size(); ++i) {
      const schema::Tang& t = c.tang[i];
      nlohmann::ordered_json server = {{"url", t.url}};
      if (Set(t.thumbprint)) server["thp"] = *t.thumbprint;
      if (Set(t.advertisement)) {
        nlohmann::ordered_json adv = nlohmann::ordered_json::parse(*t.advertisement, nullptr, false);
        if (adv.is_discarded())
          throw agent::Failure("reading the tang advertisement")
              .Field((at / "tang" / i / "advertisement").String())
              .Cause("it is not valid JSON");
        server["adv"] = std::move(adv);
      }
      servers.push_back(std::move(server));
    }
    pins["tang"] = std::move(servers);
  }
  if (c.tpm2.value_or(false)) pins["tpm2"] = nlohmann::ordered_json::object();
  nlohmann::ordered_json config = {{"pins", std::move(pins)}, {"t", Threshold(c)}};
  return {"sss", config.dump()};
}

std::string TangAdvertisementUrl(const std::string& url) {
  size_t end = url.find_first_of("?#");
  std::string base = url.substr(0, end);
  std::string rest = end == std::string::npos ? "" : url.substr(end);
  // Only the path's trailing slashes go, never the "//" after the scheme.
  size_t path_start = base.find("://");
  path_start = path_start == std::string::npos ? 0 : path_start + 3;
  while (base.size() > path_start && base.back() == '/') base.pop_back();
  return base + "/adv" + rest;
}

bool ClevisCanReopen(const schema::Clevis& c) {
  if (Set(c.custom.pin)) return false;
  int live = c.tpm2.value_or(false) ? 1 : 0;
  for (const schema::Tang& t : c.tang)
    if (!Set(t.advertisement)) ++live;
  return live >= Threshold(c);
}

agent::Argv ClevisBindArgv(const std::string& clevis, const std::string& key_file, const std::string& device,
                           const ClevisBinding& binding) {
  return {clevis, "luks", "bind", "-f", "-k", key_file, "-d", device, binding.pin, binding.config};
}

agent::Argv ClevisUnlockArgv(const std::string& clevis, const std::string& device, const std::string& name) {
  return {clevis, "luks", "unlock", "-d", device, "-n", name};
}

void BindClevis(agent::StageContext& ctx, const schema::Luks& luks, const std::string& device,
                const std::string& key_file, bool generated_key, const schema::Path& at) {
  const std::string field = (at / "clevis").String();
  ClevisBinding binding = ClevisBindingFor(luks.clevis, at / "clevis");
  std::string clevis = agent::ToolPath(agent::Tool::kClevis, ctx.env);
  std::string cryptsetup = agent::ToolPath(agent::Tool::kCryptsetup, ctx.env);
  RunForField(ctx, ClevisBindArgv(clevis, key_file, device, binding), field);
  if (ClevisCanReopen(luks.clevis)) {
    // Proves the binding: the volume opens again with Clevis alone.
    RunForField(ctx, {cryptsetup, "luksClose", luks.name}, field);
    RunForField(ctx, ClevisUnlockArgv(clevis, device, luks.name), field);
  }
  // A key flint made up only to bind Clevis is of no use to anyone after.
  if (generated_key) RunForField(ctx, {cryptsetup, "luksRemoveKey", device, key_file}, field);
}

}  // namespace flint::stages
