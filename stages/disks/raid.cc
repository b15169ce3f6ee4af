#include "stages/disks/raid.h"

#include "agent/error.h"
#include "agent/os/device_wait.h"
#include "agent/os/tools.h"
#include "stages/disks/device_wait_options.h"
#include "stages/disks/run_for_field.h"

namespace flint::stages {

agent::Argv MdadmCreateArgv(const std::string& mdadm, const schema::Raid& raid,
                            const std::vector<std::string>& devices) {
  int64_t spares = raid.spares.value_or(0);
  std::string raid_devices = std::to_string(static_cast<int64_t>(devices.size()) - spares);
  agent::Argv argv = {mdadm, "--create", raid.name, "--force", "--run", "--homehost", "any"};
  argv.insert(argv.end(), {"--level", raid.level.value_or(""), "--raid-devices", raid_devices});
  if (spares > 0) {
    argv.push_back("--spare-devices");
    argv.push_back(std::to_string(spares));
  }
  argv.insert(argv.end(), raid.options.begin(), raid.options.end());
  argv.insert(argv.end(), devices.begin(), devices.end());
  return argv;
}

void CreateRaids(agent::StageContext& ctx) {
  agent::DeviceWaitOptions wait = StageDeviceWait(ctx);
  const std::vector<schema::Raid>& raids = ctx.config.storage.raid;
  for (size_t i = 0; i < raids.size(); ++i) {
    const schema::Raid& raid = raids[i];
    schema::Path at = schema::Path() / "storage" / "raid" / i;
    std::vector<std::string> members;
    for (size_t d = 0; d < raid.devices.size(); ++d) {
      members.push_back(
          agent::WaitForDevice(ctx.runner, ctx.env, raid.devices[d], (at / "devices" / d).String(), wait));
    }
    std::string md = "/dev/md/" + raid.name;
    ctx.log.Step("creating RAID array '" + md + "'", [&] {
      agent::Argv argv = MdadmCreateArgv(agent::ToolPath(agent::Tool::kMdadm, ctx.env), raid, members);
      RunForField(ctx, argv, at.String());
      agent::WaitForDevice(ctx.runner, ctx.env, md, at.String(), wait);
    });
  }
}

}  // namespace flint::stages
