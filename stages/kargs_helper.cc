#include "stages/kargs_helper.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

#include "agent/error.h"
#include "agent/os/atomic_file.h"
#include "agent/os/files.h"
#include "agent/os/libmount.h"

namespace flint::stages {
namespace {

namespace fs = std::filesystem;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The words after the `options` key, or nullopt when `line` is another key.
std::optional<std::string_view> OptionsValue(std::string_view line) {
  constexpr std::string_view kKey = "options";
  if (line.substr(0, kKey.size()) != kKey) return std::nullopt;
  std::string_view rest = line.substr(kKey.size());
  if (!rest.empty() && !IsBlank(rest.front())) return std::nullopt;
  return rest;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  return lines;
}

// Mounts the boot device for the helper's lifetime.
class BootMount {
 public:
  explicit BootMount(const std::string& device) {
    std::string tmpl = "/run/flint-kargs-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) throw agent::Failure("creating a mountpoint for the boot partition").Errno(errno);
    dir_ = tmpl;
    try {
      agent::Mount({device, dir_, "", "rw"});
    } catch (...) {
      ::rmdir(dir_.c_str());
      throw;
    }
  }
  BootMount(const BootMount&) = delete;
  BootMount& operator=(const BootMount&) = delete;
  ~BootMount() {
    try {
      agent::Unmount(dir_);
      ::rmdir(dir_.c_str());
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
    }
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

std::vector<fs::path> BlsEntries(const std::string& boot_dir) {
  fs::path dir = fs::path(boot_dir) / "loader/entries";
  std::vector<fs::path> entries;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".conf" && e.is_regular_file() && !e.is_symlink()) entries.push_back(e.path());
  }
  if (ec) throw agent::Failure("listing boot entries").Path(dir.string()).Cause(ec.message());
  if (entries.empty()) throw agent::Failure("listing boot entries").Path(dir.string()).Cause("no *.conf entries");
  std::sort(entries.begin(), entries.end());
  return entries;
}

// Edits every entry; true when any changed.
bool EditEntries(const std::string& boot_dir, const std::vector<KargsOp>& ops, std::ostream& out) {
  bool changed = false;
  for (const fs::path& entry : BlsEntries(boot_dir)) {
    std::string text = agent::ReadFile(entry, "reading a boot entry");
    std::string edited = EditBlsEntry(text, ops);
    if (edited == text) continue;
    struct stat st;
    mode_t mode = ::stat(entry.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
    agent::WriteFileAtomic(entry, edited, mode);
    out << "updated kernel arguments in '" << entry.string() << "'\n";
    changed = true;
  }
  return changed;
}

// True when the running kernel already has what the ops ask for.
bool RunningKernelMatches(const std::string& cmdline_path, const std::vector<KargsOp>& ops) {
  std::optional<std::string> cmdline;
  try {
    cmdline = agent::ReadFileIfExists(cmdline_path, "reading the kernel command line");
  } catch (const agent::Failure&) {
    return false;
  }
  if (!cmdline) return false;
  std::vector<std::string> words = SplitKernelArgs(*cmdline);
  return ApplyKargs(words, ops) == words;
}

}  // namespace

std::vector<std::string> SplitKernelArgs(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (!quoted && IsBlank(c)) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
      continue;
    }
    word += c;
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::vector<std::string> ApplyKargs(std::vector<std::string> args, const std::vector<KargsOp>& ops) {
  for (const KargsOp& op : ops) {
    if (op.append) {
      if (std::find(args.begin(), args.end(), op.arg) == args.end()) args.push_back(op.arg);
    } else {
      args.erase(std::remove(args.begin(), args.end(), op.arg), args.end());
    }
  }
  return args;
}

std::string EditBlsEntry(std::string_view entry, const std::vector<KargsOp>& ops) {
  std::vector<std::string_view> lines = Lines(entry);
  std::vector<std::string> words;
  std::optional<size_t> first;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (std::optional<std::string_view> value = OptionsValue(lines[i])) {
      if (!first) first = i;
      for (std::string& w : SplitKernelArgs(*value)) words.push_back(std::move(w));
    }
  }
  std::vector<std::string> edited = ApplyKargs(words, ops);
  if (edited == words) return std::string(entry);
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (first && i == *first) {
      out += "options " + JoinWords(edited) + "\n";
    } else if (!OptionsValue(lines[i])) {
      out += std::string(lines[i]) + "\n";
    }
  }
  if (!first) out += "options " + JoinWords(edited) + "\n";
  return out;
}

bool ParseKargsHelperArgs(const std::vector<std::string>& args, KargsHelperOptions& o, std::string& error) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string name = a, value;
    bool inline_value = false;
    if (size_t eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    bool known = name == "--should-exist" || name == "--should-not-exist" || name == "--boot-dir" ||
                 name == "--boot-device" || name == "--cmdline" || name == "--reboot-flag";
    if (!known) {
      error = "unknown option '" + a + "'";
      return false;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        error = "option '" + a + "' needs a value";
        return false;
      }
      value = args[++i];
    }
    if (name == "--should-exist") o.ops.push_back({true, value});
    if (name == "--should-not-exist") o.ops.push_back({false, value});
    if (name == "--boot-dir") o.boot_dir = value;
    if (name == "--boot-device") o.boot_device = value;
    if (name == "--cmdline") o.cmdline = value;
    if (name == "--reboot-flag") o.reboot_flag = value;
  }
  return true;
}

int RunKargsHelper(const KargsHelperOptions& o, std::ostream& out, std::ostream& err) {
  if (o.ops.empty()) return 0;
  try {
    bool changed;
    if (o.boot_dir.empty()) {
      BootMount boot(o.boot_device);
      changed = EditEntries(boot.dir(), o.ops, out);
    } else {
      changed = EditEntries(o.boot_dir, o.ops, out);
    }
    bool running = RunningKernelMatches(o.cmdline, o.ops);
    if (changed && !running) {
      agent::TouchFile(o.reboot_flag, "requesting a reboot");
      out << "kernel arguments changed: requested a reboot ('" << o.reboot_flag << "')\n";
    } else if (changed) {
      out << "kernel arguments changed, but the running kernel already has them: no reboot needed\n";
    } else {
      out << "the boot entries already have the requested kernel arguments\n";
    }
    return 0;
  } catch (const std::exception& e) {
    err << "kargs-helper: " << e.what() << "\n";
    return 1;
  }
}

int KargsHelperMain(int argc, char** argv) {
  std::string program = argc > 0 ? fs::path(argv[0]).filename().string() : "";
  int first = 1;
  if (program != "ignition-kargs-helper" && program != "flint-kargs-helper") {
    if (program == "ignition" || argc < 2 || std::string_view(argv[1]) != "kargs-helper") return -1;
    first = 2;
  }
  std::vector<std::string> args(argv + first, argv + argc);
  KargsHelperOptions options;
  std::string error;
  if (!ParseKargsHelperArgs(args, options, error)) {
    std::cerr << "kargs-helper: " << error << "\n"
              << "usage: " << program << (first == 2 ? " kargs-helper" : "")
              << " [--should-exist ARG]... [--should-not-exist ARG]... [--boot-dir DIR | --boot-device DEV]"
                 " [--cmdline FILE] [--reboot-flag FILE]\n";
    return 2;
  }
  return RunKargsHelper(options, std::cout, std::cerr);
}

}  // namespace flint::stages
