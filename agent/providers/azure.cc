#include "agent/error.h"
#include "agent/providers/metadata.h"

namespace flint::agent {

// Azure IMDS userData (header `Metadata: true`), base64. Upstream retries it
// ten times, two seconds apart, because IMDS answers 404/410/429 while the
// VM is still being set up, then falls back to the custom data on the OVF
// provisioning CD; that fallback needs the CD-ROM drive and a UDF mount and
// is not supported by this build, so empty userData is an empty config.
std::string FetchAzureConfig(ProviderContext& ctx) {
  MetadataRequest request{"azure",
                          MetadataUrl(ctx.env, "http://169.254.169.254",
                                      "/metadata/instance/compute/userData?api-version=2021-01-01&format=text"),
                          {{"Metadata", "true"}},
                          false};
  constexpr int kAttempts = 10;
  for (int attempt = 1;; ++attempt) {
    try {
      std::string encoded = FetchMetadata(ctx, request).value_or("");
      if (encoded.empty()) {
        ctx.log.Warning(
            "azure: the IMDS userData is empty; reading custom data from the OVF media is not supported "
            "by this build: continuing without a config");
        return "";
      }
      ctx.log.Info("azure: read the config from the IMDS userData");
      return DecodeUserData("azure", encoded);
    } catch (const Failure& f) {
      if (attempt == kAttempts || f.operation().rfind("decoding", 0) == 0) throw;
      ctx.log.Info("azure: IMDS userData request failed, retrying in 2s (attempt " + std::to_string(attempt) + "/" +
                   std::to_string(kAttempts) + "): " + f.what());
      SleepOneSecond(ctx);
      SleepOneSecond(ctx);
    }
  }
}

}  // namespace flint::agent
