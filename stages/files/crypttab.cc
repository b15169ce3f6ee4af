#include "stages/files/crypttab.h"

#include "agent/error.h"
#include "agent/os/root.h"
#include "schema/data_url.h"

namespace flint::stages {
namespace {

constexpr const char* kCrypttab = "/etc/crypttab";

bool HasKeyFile(const agent::LuksVolume& v) { return !v.key_file.empty() && v.key_file != "none"; }

void WriteKeyFile(agent::StageContext& ctx, agent::Root& root, const agent::LuksVolume& v) {
  auto it = ctx.state.luks_persist_key_files.find(v.name);
  if (it == ctx.state.luks_persist_key_files.end()) {
    throw agent::Failure("writing the key file of LUKS volume '" + v.name + "'")
        .Path(root.Display(v.key_file))
        .Cause("the state file holds no key for it");
  }
  std::optional<std::string> key = KeyFromState(it->second);
  if (!key) {
    throw agent::Failure("writing the key file of LUKS volume '" + v.name + "'")
        .Path(root.Display(v.key_file))
        .Cause("the key in the state file is not a valid data URL");
  }
  std::string path = agent::CleanPath(v.key_file);
  root.MakeDirs(path.substr(0, path.rfind('/')), 0700);
  root.WriteFile(path, *key, 0600);
}

}  // namespace

std::string CrypttabLine(const agent::LuksVolume& v) {
  std::string options;
  for (const std::string& o : v.options) options += (options.empty() ? "" : ",") + o;
  return v.name + " UUID=" + v.uuid + " " + (HasKeyFile(v) ? v.key_file : "none") + " " +
         (options.empty() ? "luks" : options) + "\n";
}

std::optional<std::string> KeyFromState(const std::string& value) {
  if (!schema::IsDataUrl(value)) return std::nullopt;
  return schema::DecodeDataUrl(value).bytes;
}

void WriteCrypttab(agent::StageContext& ctx, agent::Root& root) {
  if (ctx.state.luks_volumes.empty()) {
    if (!ctx.state.luks_persist_key_files.empty()) {
      ctx.log.Warning("the state file holds LUKS keys but no LUKS volumes: dropping the keys");
      ctx.state.luks_persist_key_files.clear();
    }
    return;
  }
  ctx.log.Step("writing '" + root.Display(kCrypttab) + "' and LUKS key files", [&] {
    std::string text = root.ReadFile(kCrypttab).value_or("");
    if (!text.empty() && text.back() != '\n') text += '\n';
    for (const agent::LuksVolume& v : ctx.state.luks_volumes) {
      if (v.name.empty() || v.uuid.empty()) {
        throw agent::Failure("writing '" + root.Display(kCrypttab) + "'")
            .Cause("a LUKS volume in the state file has no name or UUID");
      }
      if (HasKeyFile(v)) WriteKeyFile(ctx, root, v);
      text += CrypttabLine(v);
    }
    root.WriteFile(kCrypttab, text, 0600);
  });
  ctx.state.luks_persist_key_files.clear();
}

}  // namespace flint::stages
