// Rendering a user config as upstream's ConfigFetcher.RenderConfig does:
// `ignition.config.replace` fetches a config (any accepted spec version) and
// renders it instead; otherwise each `ignition.config.merge` reference is
// fetched, rendered (depth first) and merged, in order, into the config
// accumulated so far. Before every fetch the fetcher is configured with the
// settings (timeouts, CAs, proxy) of everything merged so far, including the
// configs this one is merged into. Unlike upstream, a reference chain that
// comes back to a URL already being rendered fails ("merge cycle"), nesting
// is bounded, and an empty referenced config is an error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/fetch/fetcher.h"
#include "agent/log.h"
#include "agent/state.h"
#include "schema/model.h"
#include "schema/path.h"

namespace flint::agent {

// References followed from the provider's config, at most (a chain of
// replaces and merges). Real pointer configs use one or two.
inline constexpr size_t kMaxReferenceDepth = 10;

class ConfigRenderer {
 public:
  // `offline` (fetch-offline): a reference that needs networking throws
  // agent::NeedNet instead of being fetched.
  ConfigRenderer(Fetcher& fetcher, Log& log, State& state, bool offline)
      : fetcher_(fetcher), log_(log), state_(state), offline_(offline) {}

  // Renders `config`, which came from `origin` (its URL, or "" for a local
  // source such as a file or a platform). Each fetched config is recorded in
  // the state and the journal (kind "user", referenced). Throws
  // agent::Failure naming the reference's field and URL.
  schema::Config Render(schema::Config config, const std::string& origin = "");

  // Configures the fetcher with `settings`; when offline, throws NeedNet
  // first if a CA needs networking.
  void Configure(const schema::Ignition& settings);

 private:
  schema::Config RenderLevel(schema::Config config, const schema::Config& inherited);
  schema::Config FetchReference(const schema::Resource& ref, const schema::Path& at, std::string_view verb);
  std::string Chain(std::string_view last) const;

  Fetcher& fetcher_;
  Log& log_;
  State& state_;
  bool offline_;
  // The URLs of the configs being rendered, outermost first (the origin,
  // when it has a URL, then each reference followed).
  std::vector<std::string> chain_;
  size_t depth_ = 0;
};

// The fetch settings part of `config` (its ignition section without the
// config references), for merging settings cheaply. Pure.
schema::Config SettingsOf(const schema::Config& config);

}  // namespace flint::agent
