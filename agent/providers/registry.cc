#include "agent/error.h"
#include "agent/providers/provider.h"

namespace flint::agent {

const std::vector<Platform>& Platforms() {
  // Upstream Ignition's platform names (internal/providers/*, registered via
  // internal/register/providers.go; brightbox is served by the openstack
  // provider, nvidiabfb is the nvidiabluefield provider's name).
  static const std::vector<Platform> kPlatforms = {
      {"akamai"},       {"aliyun"},     {"applehv"},   {"aws"},
      {"azure"},        {"azurestack"}, {"brightbox"}, {"cloudstack"},
      {"digitalocean"}, {"exoscale"},   {"file", FetchFileConfig},
      {"gcp"},          {"hetzner"},    {"hyperv"},    {"ibmcloud"},
      {"ionoscloud"},   {"kubevirt"},   {"metal", FetchNoConfig},
      {"nutanix"},      {"nvidiabfb"},  {"openstack"}, {"oraclecloud"},
      {"outscale"},     {"packet"},     {"powervs"},   {"proxmoxve"},
      {"qemu"},         {"scaleway"},   {"stackit"},   {"upcloud"},
      {"virtualbox"},   {"vmware"},     {"vultr"},     {"zvm"},
  };
  return kPlatforms;
}

const Platform* FindPlatform(std::string_view name) {
  for (const Platform& p : Platforms()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string FetchPlatformConfig(const Platform& platform, ProviderContext& ctx) {
  if (platform.fetch == nullptr) {
    throw Failure::Message("platform " + std::string(platform.name) + " is not implemented");
  }
  return platform.fetch(ctx);
}

std::string FetchNoConfig(ProviderContext&) { return ""; }

}  // namespace flint::agent
