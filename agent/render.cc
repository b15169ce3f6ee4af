#include "agent/render.h"

#include <algorithm>
#include <string>

#include "agent/configs.h"
#include "agent/error.h"
#include "agent/fetched_config.h"
#include "schema/merge.h"

namespace flint::agent {
namespace {

// Pops the chain entry pushed for a reference when its rendering ends.
class ChainEntry {
 public:
  ChainEntry(std::vector<std::string>& chain, size_t& depth, std::string url) : chain_(chain), depth_(depth) {
    chain_.push_back(std::move(url));
    ++depth_;
  }
  ~ChainEntry() {
    chain_.pop_back();
    --depth_;
  }
  ChainEntry(const ChainEntry&) = delete;
  ChainEntry& operator=(const ChainEntry&) = delete;

 private:
  std::vector<std::string>& chain_;
  size_t& depth_;
};

}  // namespace

schema::Config SettingsOf(const schema::Config& config) {
  schema::Config settings;
  settings.ignition = config.ignition;
  settings.ignition.config = {};
  return settings;
}

void ConfigRenderer::Configure(const schema::Ignition& settings) {
  if (offline_) {
    const auto& cas = settings.security.tls.certificate_authorities;
    for (size_t i = 0; i < cas.size(); ++i) {
      if (cas[i].source && UrlNeedsNet(*cas[i].source)) {
        throw NeedNet("the certificate authority " + DescribeSource(*cas[i].source) + " needs networking");
      }
    }
  }
  fetcher_.Configure(settings);
}

schema::Config ConfigRenderer::Render(schema::Config config, const std::string& origin) {
  chain_.clear();
  depth_ = 0;
  if (!origin.empty()) chain_.push_back(origin);
  return RenderLevel(std::move(config), EmptyConfig());
}

std::string ConfigRenderer::Chain(std::string_view last) const {
  std::string text;
  for (const std::string& url : chain_) text += DescribeSource(url) + " -> ";
  return text + DescribeSource(last);
}

// `inherited`: the settings of the configs `config` is merged into.
// `config` is taken by value and moved into the result: no copy of a big config.
schema::Config ConfigRenderer::RenderLevel(schema::Config config, const schema::Config& inherited) {
  const schema::IgnitionConfig refs = config.ignition.config;  // `config` is moved from below
  if (refs.replace.source) {
    const schema::Path at = schema::Path() / "ignition" / "config" / "replace";
    Configure(MergeOnto(inherited, SettingsOf(config)).ignition);
    const std::string& url = *refs.replace.source;
    schema::Config replacement = FetchReference(refs.replace, at, "replacing the config with");
    ChainEntry entry(chain_, depth_, url);
    return RenderLevel(std::move(replacement), inherited);
  }
  schema::Config merged = std::move(config);
  for (size_t i = 0; i < refs.merge.size(); ++i) {
    const schema::Resource& ref = refs.merge[i];
    if (!ref.source) continue;  // validation requires one
    const schema::Path at = schema::Path() / "ignition" / "config" / "merge" / i;
    schema::Config settings = MergeOnto(inherited, SettingsOf(merged));
    Configure(settings.ignition);
    schema::Config child = FetchReference(ref, at, "merging");
    ChainEntry entry(chain_, depth_, *ref.source);
    schema::Config rendered = RenderLevel(std::move(child), settings);
    merged = schema::Merge(merged, rendered);
  }
  return merged;
}

// `verb` for the log line: "merging" the config at FIELD (URL).
schema::Config ConfigRenderer::FetchReference(const schema::Resource& ref, const schema::Path& at,
                                              std::string_view verb) {
  const std::string& url = *ref.source;
  const std::string field = at.String();
  auto refuse = [&](std::string cause) {
    return Failure("following the config reference").Url(RedactUrl(url)).Field(field).Cause(std::move(cause));
  };
  if (std::find(chain_.begin(), chain_.end(), url) != chain_.end()) {
    throw refuse("merge cycle: " + Chain(url));
  }
  if (depth_ >= kMaxReferenceDepth) {
    throw refuse("refusing to follow config references nested more than " + std::to_string(kMaxReferenceDepth) +
                 " deep: " + Chain(url));
  }
  if (offline_ && UrlNeedsNet(url)) {
    throw NeedNet("the config reference at " + field + " (" + DescribeSource(url) + ") needs networking");
  }
  log_.Info(std::string(verb) + " the config at " + field + " (" + DescribeSource(url) + ")");
  std::string described = DescribeSource(url);
  if (!chain_.empty()) described += " (referenced by " + DescribeSource(chain_.back()) + ")";
  std::string bytes;
  try {
    bytes = fetcher_.FetchToString(ref, at);
  } catch (const Failure& f) {
    // Say that a config was being fetched and, in a chain, which config
    // holds the reference: a field path alone is ambiguous there.
    std::string operation = chain_.empty() ? "fetching the referenced config"
                                           : "fetching the config that " + DescribeSource(chain_.back()) + " references";
    throw Failure(operation).Url(RedactUrl(url)).Field(field).Cause(f.cause());
  }
  RecordFetchedConfig(state_, log_, "user", url, true, bytes);
  std::optional<schema::Config> parsed = ParseFetchedConfig(bytes, described, log_);
  // Upstream's ErrEmpty here makes the engine drop the whole user config and
  // boot with an empty one; a pointer config whose server answers nothing
  // must not provision a half-configured machine, so this is an error.
  if (!parsed) throw refuse("the referenced config is empty");
  return std::move(*parsed);
}

}  // namespace flint::agent
