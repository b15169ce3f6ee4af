// Rules for the `ignition` section: merged/replaced configs, proxies, CAs.
// Upstream: config/v3_*/types/{ignition,proxy,tls}.go. Timeouts have none.
#include "schema/go_url.h"
#include "schema/validate_internal.h"

namespace flint::schema::validate {
namespace {

constexpr std::string_view kErrSourceRequired = "source is required";

// Upstream's validateProxyURL: an unset proxy is fine, an empty one is not.
void CheckProxy(const OptString& proxy, const Path& at, bool http_ok, const Ctx& ctx) {
  if (!proxy) return;
  auto u = ParseGoUrl(*proxy);
  if (!u) return ctx.report.Error(at, std::string(kErrInvalidUrl));
  if (u->scheme != "https" && u->scheme != "http")
    return ctx.report.Error(at, "proxies must be http(s)");
  if (u->scheme == "http" && !http_ok)
    ctx.report.Warning(at, "insecure plaintext HTTP proxy specified for HTTPS resources");
}

// From 3.1 a merged config and a CA need a source (validateRequiredSource);
// the error sits on the list entry.
void RequireSource(const Resource& res, const Path& at, const Ctx& ctx) {
  if (!ctx.AtLeast(Version::k3_1)) return;
  if (NilOrEmpty(res.source))
    ctx.report.Error(at, std::string(kErrSourceRequired));
  else
    ctx.Error(at, CheckUrl(*res.source, ctx.version));
}

}  // namespace

void ValidateIgnition(const Ignition& ign, const Path& at, const Ctx& ctx) {
  const Path config = at / "config";
  for (size_t i = 0; i < ign.config.merge.size(); ++i)
    RequireSource(ign.config.merge[i], config / "merge" / i, ctx);
  for (size_t i = 0; i < ign.config.merge.size(); ++i)
    ValidateResource(ign.config.merge[i], config / "merge" / i, ResourceKind::kConfig, ctx);
  ValidateResource(ign.config.replace, config / "replace", ResourceKind::kConfig, ctx);

  CheckProxy(ign.proxy.http_proxy, at / "proxy" / "httpProxy", true, ctx);
  CheckProxy(ign.proxy.https_proxy, at / "proxy" / "httpsProxy", false, ctx);

  const Path tls = at / "security" / "tls";
  const auto& cas = ign.security.tls.certificate_authorities;
  for (size_t i = 0; i < cas.size(); ++i)
    RequireSource(cas[i], tls / "certificateAuthorities" / i, ctx);
  for (size_t i = 0; i < cas.size(); ++i)
    ValidateResource(cas[i], tls / "certificateAuthorities" / i, ResourceKind::kCa, ctx);
}

}  // namespace flint::schema::validate
