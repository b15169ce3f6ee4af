#include "agent/engine.h"

#include <optional>
#include <string>

#include "agent/ca_inline.h"
#include "agent/configs.h"
#include "agent/error.h"
#include "agent/fetched_config.h"
#include "agent/os/atomic_file.h"
#include "agent/os/files.h"
#include "agent/os/heap.h"
#include "agent/providers/cmdline.h"
#include "agent/providers/provider.h"
#include "agent/render.h"
#include "agent/system_config.h"
#include "schema/encode.h"
#include "schema/parse.h"
#include "schema/validate.h"

namespace flint::agent {
namespace {

bool IsFetchStage(const std::string& stage) { return stage.rfind("fetch", 0) == 0; }

const StageEntry* FindStage(const StageTable& stages, std::string_view name) {
  for (const StageEntry& s : stages) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string FirstError(const schema::Report& report) {
  for (const schema::Entry& e : report.entries()) {
    if (e.severity == schema::Severity::kError) return e.String();
  }
  return "the config is not usable";
}

// The rendered config must still be valid (upstream: "merging configs
// resulted in an invalid config"); every report entry is logged.
void CheckRendered(const schema::Config& config, Log& log) {
  schema::Report report;
  schema::Validate(config, schema::kNewestVersion, report);
  for (const schema::Entry& e : report.entries()) {
    if (e.severity == schema::Severity::kError) log.Error("the rendered config: " + e.String());
  }
  if (report.HasErrors()) {
    throw Failure("validating the rendered config")
        .Cause("merging configs resulted in an invalid config: " + FirstError(report));
  }
}

// The user config's raw bytes and where they came from.
struct ProviderConfig {
  std::string bytes;
  std::string source;     // upstream's provider key: "cmdline", "system", the platform
  std::string url;        // the URL fetched (cmdline), for cycle detection
  std::string described;  // for messages
};

ProviderConfig FetchUserConfigBytes(const Flags& flags, const Env& env, ProviderContext& ctx) {
  if (std::optional<CmdlineConfig> cmdline = FetchCmdlineConfig(ctx)) {
    return {std::move(cmdline->bytes), "cmdline", cmdline->url, std::move(cmdline->described)};
  }
  if (std::optional<std::filesystem::path> user = FindUserConfig(SystemConfigDirs(env))) {
    ctx.log.Info("reading the system config file '" + user->string() + "'");
    return {ReadFile(*user, "reading the system config file"), "system", "", "the system user.ign"};
  }
  const Platform* platform = FindPlatform(flags.platform);
  if (platform == nullptr) throw Failure::Message(flags.platform + " is not a valid platform");
  return {FetchPlatformConfig(*platform, ctx), flags.platform, "", "platform " + flags.platform};
}

void SignalNeedNet(const Flags& flags, Log& log, const std::string& why) {
  log.Info(why + ": signalling that networking is needed ('" + flags.neednet + "')");
  TouchFile(flags.neednet, "writing the neednet flag file");
}

// Everything between loading and saving the state; throws.
void Execute(const Flags& flags, const EngineDeps& deps, const StageEntry& stage, State& state) {
  Log& log = deps.log;
  BaseConfig base = LoadBaseConfig(SystemConfigDirs(deps.env), flags.platform, log);
  schema::Config user;
  std::unique_ptr<Fetcher> fetcher = MakeFetcher(log);
  if (IsFetchStage(flags.stage)) {
    if (!base.fragments.empty()) state.RecordFetchedConfig({"base", "system", false});
    AcquiredConfig acquired = AcquireProviderConfig(flags, deps, *fetcher, state);
    log.Step("writing the config cache '" + flags.config_cache + "'", [&] {
      // Streamed: a big config is not held a second time as JSON text.
      AtomicFile cache(flags.config_cache, 0640);
      schema::EncodeTo(acquired.config, [&cache](std::string_view piece) { cache.Write(piece); });
      cache.Commit();
    });
    if (acquired.provided) TouchFile(flags.config_provided, "writing the config-provided flag file");
    user = std::move(acquired.config);
  } else {
    user = ReadConfigCache(flags, log);
  }
  schema::Config full = MergeOnto(EmptyConfig(), MergeOnto(base.config, std::move(user)));
  fetcher->Configure(full.ignition);
  StageContext ctx{full, flags, deps.env, deps.runner, *fetcher, log, state};
  stage.run(ctx);
}

}  // namespace

AcquiredConfig AcquireProviderConfig(const Flags& flags, const EngineDeps& deps, Fetcher& fetcher, State& state) {
  Log& log = deps.log;
  const bool offline = flags.stage == "fetch-offline";
  // Until a config says otherwise, -fetch-timeout bounds fetching the
  // provider's config (upstream: httpTotal from the flag); the config's own
  // timeouts apply to everything it references.
  fetcher.Configure(schema::Ignition{});
  fetcher.BoundByFetchTimeout(flags.fetch_timeout);
  ProviderContext ctx{log, deps.env, offline, &fetcher, &deps.runner};
  ProviderConfig provided = FetchUserConfigBytes(flags, deps.env, ctx);
  ReserveHeap(2 * provided.bytes.size());  // the parsed model, then the rendered one
  std::optional<schema::Config> parsed = ParseFetchedConfig(provided.bytes, provided.described, log);
  if (!parsed) {
    log.Info("the config from " + provided.described + " is empty: continuing with an empty config");
    return {EmptyConfig(), provided.source, false};
  }
  RecordFetchedConfig(state, log, "user", provided.source, false, provided.bytes);
  ConfigRenderer renderer(fetcher, log, state, offline);
  renderer.Configure(parsed->ignition);
  schema::Config rendered = renderer.Render(std::move(*parsed), provided.url);
  renderer.Configure(rendered.ignition);
  InlineCertificateAuthorities(rendered, fetcher, offline);
  CheckRendered(rendered, log);
  return {std::move(rendered), provided.source, true};
}

schema::Config ReadConfigCache(const Flags& flags, Log& log) {
  // Mapped, and the part already parsed given back as parsing goes on: the
  // cache's text and the model it becomes are never both whole in memory.
  std::optional<MappedFile> bytes = MappedFile::OpenIfExists(flags.config_cache, "reading the config cache");
  if (!bytes) {
    throw Failure("reading the config cache")
        .Path(flags.config_cache)
        .Cause("No such file or directory (the fetch-offline or fetch stage writes it and must run first)");
  }
  log.Debug("read the config cache '" + flags.config_cache + "'");
  ReserveHeap(bytes->bytes().size());  // the model is about the size of the text
  schema::ParseResult parsed =
      schema::Parse(bytes->bytes(), [&bytes](size_t consumed) { bytes->ReleaseBefore(consumed); });
  if (!parsed.config) {
    throw Failure("parsing the config cache").Path(flags.config_cache).Cause(FirstError(parsed.report));
  }
  return std::move(*parsed.config);
}

int RunStage(const Flags& flags, const EngineDeps& deps) {
  Log& log = deps.log;
  log.SetStage(flags.stage);
  const StageEntry* stage = FindStage(deps.stages, flags.stage);
  if (stage == nullptr) {
    log.Critical(flags.stage + " is not a valid stage");
    return kExitUsage;
  }
  log.Info(std::string("flint ") + FLINT_VERSION + ", platform " + flags.platform);

  State state;
  try {
    state = LoadState(flags.state_file);
  } catch (const Failure& f) {
    log.Critical(f.what(), f.LogFields());
    return kExitSetup;
  }

  try {
    try {
      Execute(flags, deps, *stage, state);
    } catch (const NeedNet& n) {
      if (flags.stage != "fetch-offline") throw Failure::Message(n.what());
      SignalNeedNet(flags, log, n.what());
    }
    SaveState(flags.state_file, state);
  } catch (const Failure& f) {
    log.Critical(f.what(), f.LogFields());
    return kExitFailed;
  } catch (const std::exception& e) {
    log.Critical(std::string("internal error: ") + e.what());
    return kExitFailed;
  }
  log.Info(flags.stage + " passed");
  return kExitOk;
}

}  // namespace flint::agent
