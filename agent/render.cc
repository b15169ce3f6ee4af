#include "agent/render.h"

#include <cctype>
#include <string>

#include "agent/configs.h"
#include "agent/error.h"
#include "schema/data_url.h"
#include "schema/merge.h"

namespace flint::agent {
namespace {

std::string Scheme(std::string_view url) {
  size_t colon = url.find(':');
  if (colon == std::string_view::npos) return "";
  std::string scheme(url.substr(0, colon));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme;
}

// The bytes of a config reference, when flint can get them without the
// fetcher (a data: URL without compression or hash).
std::string ResolveReference(const schema::Resource& ref, const std::string& field, bool offline) {
  const std::string& url = *ref.source;
  if (!schema::IsDataUrl(url)) {
    if (offline && UrlNeedsNet(url)) throw NeedNet("the config reference at " + field + " needs networking");
    throw Failure("fetching the config referenced").Field(field).Url(url).Cause(
        "fetching referenced configs is not implemented");
  }
  if (ref.compression && !ref.compression->empty()) {
    throw Failure("reading the config referenced").Field(field).Cause(
        "compressed config references are not implemented");
  }
  if (ref.verification.hash) {
    throw Failure("reading the config referenced").Field(field).Cause(
        "verifying hashes of config references is not implemented");
  }
  schema::DecodedDataUrl decoded = schema::DecodeDataUrl(url);
  if (!decoded.bytes) throw Failure("decoding the data URL").Field(field).Cause(decoded.error);
  return *decoded.bytes;
}

schema::Config FetchReferenced(const schema::Resource& ref, const std::string& field, bool offline,
                               Log& log) {
  std::string bytes = ResolveReference(ref, field, offline);
  std::optional<schema::Config> config = ParseFetchedConfig(bytes, "the reference at " + field, log);
  return config ? *config : EmptyConfig();
}

// CAs must end up inline in the cache (upstream rewrites fetched ones into
// data URLs); fetching them needs the fetcher.
void CheckCertificateAuthorities(const schema::Config& config, bool offline) {
  const auto& cas = config.ignition.security.tls.certificate_authorities;
  for (size_t i = 0; i < cas.size(); ++i) {
    if (!cas[i].source || schema::IsDataUrl(*cas[i].source)) continue;
    std::string field = "$.ignition.security.tls.certificateAuthorities." + std::to_string(i);
    if (offline && UrlNeedsNet(*cas[i].source)) throw NeedNet("the CA at " + field + " needs networking");
    throw Failure("fetching the certificate authority").Field(field).Url(*cas[i].source).Cause(
        "fetching certificate authorities is not implemented");
  }
}

}  // namespace

bool UrlNeedsNet(std::string_view url) {
  std::string s = Scheme(url);
  return s == "http" || s == "https" || s == "tftp" || s == "s3" || s == "gs" || s == "arn";
}

schema::Config RenderConfig(schema::Config config, bool offline, Log& log) {
  CheckCertificateAuthorities(config, offline);
  const schema::IgnitionConfig& refs = config.ignition.config;
  if (refs.replace.source) {
    log.Info("replacing the config with the one at $.ignition.config.replace");
    return RenderConfig(FetchReferenced(refs.replace, "$.ignition.config.replace", offline, log),
                        offline, log);
  }
  schema::Config result = config;
  for (size_t i = 0; i < refs.merge.size(); ++i) {
    if (!refs.merge[i].source) continue;
    std::string field = "$.ignition.config.merge." + std::to_string(i);
    log.Info("merging the config at " + field);
    schema::Config child = RenderConfig(FetchReferenced(refs.merge[i], field, offline, log), offline, log);
    result = schema::Merge(result, child);
  }
  return result;
}

}  // namespace flint::agent
