#include "stages/kargs.h"

#include "agent/os/tools.h"

namespace flint::stages {

agent::Argv KargsHelperArgv(const std::string& helper, const schema::KernelArguments& kargs) {
  if (kargs.should_exist.empty() && kargs.should_not_exist.empty()) return {};
  agent::Argv argv{helper};
  for (const std::string& a : kargs.should_exist) argv.insert(argv.end(), {"--should-exist", a});
  for (const std::string& a : kargs.should_not_exist) argv.insert(argv.end(), {"--should-not-exist", a});
  return argv;
}

void RunKargs(agent::StageContext& ctx) {
  agent::Argv argv =
      KargsHelperArgv(agent::ToolPath(agent::Tool::kKargsHelper, ctx.env), ctx.config.kernel_arguments);
  if (argv.empty()) return;
  ctx.log.Step("updating kernel arguments", [&] { agent::RunChecked(ctx.runner, argv); });
}

}  // namespace flint::stages
