#include <chrono>
#include <thread>

#include "agent/error.h"
#include "agent/providers/provider.h"

namespace flint::agent {

const std::vector<Platform>& Platforms() {
  // Upstream Ignition's platform names (internal/providers/*, registered via
  // internal/register/providers.go; brightbox is served by the openstack
  // provider, nvidiabfb is the nvidiabluefield provider's name). Those left
  // without a function need hardware interfaces this build does not talk to
  // (VMware backdoor, VirtualBox guest properties, Hyper-V KVP, z/VM reader,
  // Apple vsock, BlueField rshim) or are not written yet; README.md lists them.
  static const std::vector<Platform> kPlatforms = {
      {"akamai", FetchAkamaiConfig},
      {"aliyun", FetchAliyunConfig},
      {"applehv"},
      {"aws", FetchAwsConfig},
      {"azure", FetchAzureConfig},
      {"azurestack"},
      {"brightbox", FetchOpenstackConfig},
      {"cloudstack"},
      {"digitalocean", FetchDigitaloceanConfig},
      {"exoscale", FetchExoscaleConfig},
      {"file", FetchFileConfig},
      {"gcp", FetchGcpConfig},
      {"hetzner", FetchHetznerConfig},
      {"hyperv"},
      {"ibmcloud", FetchIbmcloudConfig},
      {"ionoscloud"},
      {"kubevirt", FetchKubevirtConfig},
      {"metal", FetchMetalConfig},
      {"nutanix", FetchNutanixConfig},
      {"nvidiabfb"},
      {"openstack", FetchOpenstackConfig},
      {"oraclecloud", FetchOraclecloudConfig},
      {"outscale"},
      {"packet"},
      {"powervs", FetchPowervsConfig},
      {"proxmoxve", FetchProxmoxveConfig},
      {"qemu", FetchQemuConfig},
      {"scaleway", FetchScalewayConfig},
      {"stackit"},
      {"upcloud", FetchUpcloudConfig},
      {"virtualbox"},
      {"vmware"},
      {"vultr", FetchVultrConfig},
      {"zvm"},
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
    throw Failure::Message("platform " + std::string(platform.name) + " is not supported by this build");
  }
  return platform.fetch(ctx);
}

void SleepOneSecond(ProviderContext& ctx) {
  if (ctx.sleep) {
    ctx.sleep();
    return;
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
}

}  // namespace flint::agent
