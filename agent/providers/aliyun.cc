#include "agent/providers/metadata.h"

namespace flint::agent {

// The Alibaba Cloud metadata service (its own address, 100.100.100.200); 404 is an empty config.
std::string FetchAliyunConfig(ProviderContext& ctx) {
  MetadataRequest request{"aliyun", MetadataUrl(ctx.env, "http://100.100.100.200", "/latest/user-data"), {}, true};
  return FetchMetadata(ctx, request).value_or("");
}

}  // namespace flint::agent
