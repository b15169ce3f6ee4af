#include "stages/disks/luks.h"

#include <sys/random.h>
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <sstream>

#include "agent/digest.h"
#include "agent/error.h"
#include "agent/os/atomic_file.h"
#include "agent/os/device_wait.h"
#include "agent/os/tools.h"
#include "schema/path.h"
#include "stages/disks/clevis.h"
#include "stages/disks/device_wait_options.h"
#include "stages/disks/filesystems.h"
#include "stages/disks/probe.h"
#include "stages/disks/run_for_field.h"

namespace flint::stages {
namespace {

constexpr size_t kGeneratedKeyBytes = 64;

// Hex text, as upstream: clevis luks bind fails on some binary keys.
std::string RandomKey() {
  unsigned char raw[kGeneratedKeyBytes];
  size_t done = 0;
  while (done < sizeof raw) {
    ssize_t n = ::getrandom(raw + done, sizeof raw - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw agent::Failure("generating a LUKS key").Errno(errno);
    done += static_cast<size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key;
  for (unsigned char c : raw) key.append({kHex[c >> 4], kHex[c & 15]});
  return key;
}

bool KeyGenerated(const schema::Luks& luks) { return !luks.key_file.source || luks.key_file.source->empty(); }

// The key bytes: fetched from keyFile.source, or random.
std::string KeyFor(agent::StageContext& ctx, const schema::Luks& luks, const schema::Path& at) {
  if (!KeyGenerated(luks)) return ctx.fetcher.FetchToString(luks.key_file, at / "keyFile");
  return RandomKey();
}

std::string WriteKeyFile(const std::string& name, const std::string& key) {
  std::error_code ec;
  std::filesystem::create_directories(kLuksKeyDir, ec);
  if (ec) throw agent::Failure("creating directory").Path(kLuksKeyDir).Cause(ec.message());
  ::chmod(kLuksKeyDir, 0700);
  std::string path = std::string(kLuksKeyDir) + "/" + name;
  agent::WriteFileAtomic(path, key, 0600);
  return path;
}

// Without wipeVolume: true when `device` already is this volume (keep it),
// false when it is blank (format it); throws when it holds anything else.
bool ReuseExisting(agent::StageContext& ctx, const schema::Luks& luks, const std::string& device,
                   const std::string& key_file, const schema::Path& at) {
  Probe probe = ProbeDevice(ctx, device, at.String());
  if (!probe.ambivalent && probe.type.empty()) return false;
  auto refuse = [&](const std::string& why) {
    throw agent::Failure("refusing to format LUKS volume '" + luks.name + "' on")
        .Device(*luks.device)
        .Field((at / "wipeVolume").String())
        .Cause(why + ", and wipeVolume is false");
  };
  if (probe.ambivalent) refuse("blkid finds several conflicting signatures on it");
  if (probe.type != "crypto_LUKS") refuse("it holds a " + probe.type + " signature");
  // As upstream: what a Clevis binding put into the header cannot be
  // compared with the config.
  if (ClevisPresent(luks.clevis)) refuse("the config binds it with Clevis, and a Clevis volume is never reused");
  if (luks.label && probe.label != *luks.label)
    refuse("the existing LUKS volume has label \"" + probe.label + "\" (want \"" + *luks.label + "\")");
  if (luks.uuid && CanonicalUuid(probe.type, probe.uuid) != CanonicalUuid(probe.type, *luks.uuid))
    refuse("the existing LUKS volume has UUID " + probe.uuid + " (want " + *luks.uuid + ")");
  agent::Argv dump = {agent::ToolPath(agent::Tool::kCryptsetup, ctx.env), "luksDump", device};
  bool has_discard = LuksDumpAllowsDiscards(RunForField(ctx, dump, at.String()).out);
  if (has_discard != luks.discard.value_or(false)) {
    refuse(std::string("the existing LUKS volume ") + (has_discard ? "allows" : "does not allow") +
           " discards (want discard: " + (luks.discard.value_or(false) ? "true" : "false") + ")");
  }
  agent::Argv test = {agent::ToolPath(agent::Tool::kCryptsetup, ctx.env),
                      "luksOpen",
                      "--test-passphrase",
                      "--key-file",
                      key_file,
                      device};
  if (ctx.runner.Run(test).exit_code != 0) refuse("the key does not open the existing LUKS volume");
  return true;
}

std::string LuksUuid(agent::StageContext& ctx, const std::string& device, const std::string& field) {
  agent::Argv argv = {agent::ToolPath(agent::Tool::kCryptsetup, ctx.env), "luksUUID", device};
  agent::RunResult r = RunForField(ctx, argv, field);
  std::string uuid = r.out.substr(0, r.out.find_first_of("\r\n"));
  if (uuid.empty()) throw agent::Failure("reading the LUKS UUID of").Device(device).Field(field).Cause("none");
  return uuid;
}

// A volume set up again (a rerun of the stage) replaces its earlier record.
void RecordVolume(agent::State& state, agent::LuksVolume volume) {
  for (agent::LuksVolume& v : state.luks_volumes) {
    if (v.name == volume.name) {
      v = std::move(volume);
      return;
    }
  }
  state.luks_volumes.push_back(std::move(volume));
}

void CreateOne(agent::StageContext& ctx, const schema::Luks& luks, const schema::Path& at,
               const agent::DeviceWaitOptions& wait) {
  std::string device = agent::WaitForDevice(ctx.runner, ctx.env, *luks.device, (at / "device").String(), wait);
  std::string key = KeyFor(ctx, luks, at);
  std::string key_file = WriteKeyFile(luks.name, key);
  std::string cryptsetup = agent::ToolPath(agent::Tool::kCryptsetup, ctx.env);
  std::string mapper = "/dev/mapper/" + luks.name;
  ctx.log.Step("creating LUKS volume '" + luks.name + "' on '" + *luks.device + "'", [&] {
    bool clevis = ClevisPresent(luks.clevis);
    // Upstream asks after opening the volume; asking first leaves the device
    // untouched when a server is down.
    if (clevis) FetchTangAdvertisements(ctx, luks, at);
    bool wipe = luks.wipe_volume.value_or(false);
    if (!wipe && ReuseExisting(ctx, luks, device, key_file, at)) {
      ctx.log.Info("LUKS volume '" + luks.name + "' on '" + *luks.device + "' exists and matches: keeping it");
    } else {
      if (wipe) RunForField(ctx, {agent::ToolPath(agent::Tool::kWipefs, ctx.env), "-a", device}, at.String());
      RunForField(ctx, LuksFormatArgv(cryptsetup, luks, key_file, device), at.String());
    }
    RunForField(ctx, LuksOpenArgv(cryptsetup, luks, key_file, device), at.String());
    if (clevis) BindClevis(ctx, luks, device, key_file, KeyGenerated(luks), at);
    agent::WaitForDevice(ctx.runner, ctx.env, mapper, at.String(), wait);
    std::string uuid = LuksUuid(ctx, device, at.String());
    // A Clevis volume is unlocked by Clevis: crypttab names no key file
    // ("none"), and the key is not copied to the real root (as upstream).
    std::string real_key = clevis ? "none" : std::string(kLuksRealRootKeyDir) + "/" + luks.name;
    RecordVolume(ctx.state, {luks.name, *luks.device, uuid, real_key, CrypttabOptions(luks)});
    if (clevis) {
      ctx.state.luks_persist_key_files.erase(luks.name);
      std::filesystem::remove(key_file);
    } else {
      ctx.state.luks_persist_key_files[luks.name] = "data:;base64," + agent::EncodeBase64(key);
    }
  });
}

}  // namespace

void CheckLuksSupported(const schema::Config& config) {
  const std::vector<schema::Luks>& all = config.storage.luks;
  for (size_t i = 0; i < all.size(); ++i) {
    const schema::Luks& l = all[i];
    schema::Path at = schema::Path() / "storage" / "luks" / i;
    if (l.cex.enabled.value_or(false)) {
      std::string field = (at / "cex" / "enabled").String();
#if defined(__s390x__)
      throw agent::Failure::Message("LUKS with CEX (IBM Z secure keys, zkey) is not implemented (at " + field + ")");
#else
      throw agent::Failure::Message("refusing LUKS with CEX (at " + field +
                                    "): CEX secure keys need an IBM Z (s390x) machine with a CEX crypto card");
#endif
    }
    if (!l.device || l.device->empty())
      throw agent::Failure::Message("LUKS volume '" + l.name + "' has no device (at " + at.String() + ")");
  }
}

agent::Argv LuksFormatArgv(const std::string& cryptsetup, const schema::Luks& luks, const std::string& key_file,
                           const std::string& device) {
  agent::Argv argv = {cryptsetup, "luksFormat", "--batch-mode", "--type", "luks2", "--key-file", key_file};
  if (luks.label && !luks.label->empty()) argv.insert(argv.end(), {"--label", *luks.label});
  if (luks.uuid && !luks.uuid->empty()) argv.insert(argv.end(), {"--uuid", *luks.uuid});
  argv.insert(argv.end(), luks.options.begin(), luks.options.end());
  argv.push_back(device);
  return argv;
}

agent::Argv LuksOpenArgv(const std::string& cryptsetup, const schema::Luks& luks, const std::string& key_file,
                         const std::string& device) {
  agent::Argv argv = {cryptsetup, "luksOpen", device, luks.name, "--key-file", key_file, "--persistent"};
  if (luks.discard.value_or(false)) argv.push_back("--allow-discards");
  argv.insert(argv.end(), luks.open_options.begin(), luks.open_options.end());
  return argv;
}

bool LuksDumpAllowsDiscards(std::string_view dump) {
  size_t at = dump.find("\nFlags:");
  if (at == std::string_view::npos) return false;
  std::string_view line = dump.substr(at + 7);
  std::istringstream flags{std::string(line.substr(0, line.find('\n')))};
  for (std::string flag; flags >> flag;) {
    if (flag == "allow-discards") return true;
  }
  return false;
}

std::vector<std::string> CrypttabOptions(const schema::Luks& luks) {
  std::vector<std::string> options = {"luks"};
  if (ClevisPresent(luks.clevis) && ClevisNeedsNetwork(luks.clevis)) options.push_back("_netdev");
  if (luks.discard.value_or(false)) options.push_back("discard");
  for (const std::string& o : luks.open_options) options.push_back(o.rfind("--", 0) == 0 ? o.substr(2) : o);
  return options;
}

void CreateLuksVolumes(agent::StageContext& ctx) {
  agent::DeviceWaitOptions wait = StageDeviceWait(ctx);
  const std::vector<schema::Luks>& all = ctx.config.storage.luks;
  for (size_t i = 0; i < all.size(); ++i) CreateOne(ctx, all[i], schema::Path() / "storage" / "luks" / i, wait);
}

}  // namespace flint::stages
