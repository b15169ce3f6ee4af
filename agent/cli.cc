#include "agent/cli.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <iterator>
#include <memory>

#include "agent/engine.h"
#include "agent/flags.h"
#include "agent/log.h"
#include "agent/os/env.h"
#include "agent/os/files.h"
#include "agent/os/heap.h"
#include "agent/os/runner.h"
#include "agent/providers/provider.h"
#include "agent/usage.h"
#include "schema/json_schema.h"
#include "schema/parse.h"

namespace flint::agent {
namespace {

// Processes we spawn get pipes for fds 0-2; make sure those numbers are not
// free, so a pipe never lands on them (services may start with them closed).
void EnsureStandardFds() {
  for (int fd = 0; fd < 3; ++fd) {
    if (fcntl(fd, F_GETFD) < 0) {
      int opened = ::open("/dev/null", O_RDWR);
      if (opened >= 0 && opened != fd) ::close(opened);
    }
  }
}

std::string Basename(const char* argv0) {
  std::string s = argv0 ? argv0 : "flint";
  size_t slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

std::vector<std::string_view> StageNamesOf(const StageTable& stages) {
  std::vector<std::string_view> names;
  for (const StageEntry& s : stages) names.push_back(s.name);
  return names;
}

int UsageError(const std::string& message, const std::string& program) {
  std::cerr << message << "\n";
  if (program != "ignition") std::cerr << "Run '" << program << " --help' for usage.\n";
  return kExitUsage;
}

int RunAgent(const std::vector<std::string>& args, const StageTable& stages, const std::string& program) {
  FlagChecks checks{
      [](std::string_view name) { return FindPlatform(name) != nullptr; },
      [&stages](std::string_view name) {
        for (const StageEntry& s : stages) {
          if (s.name == name) return true;
        }
        return false;
      },
  };
  FlagParse parsed = ParseFlags(args, checks);
  if (parsed.outcome == FlagParse::Outcome::kHelp) {
    std::cout << HelpText(StageNamesOf(stages));
    return kExitOk;
  }
  if (parsed.outcome == FlagParse::Outcome::kError) return UsageError(parsed.error, program);
  const Flags& flags = parsed.flags;
  if (flags.version) {
    std::cout << "flint " << FLINT_VERSION << "\n";
    return kExitOk;
  }
  if (std::optional<std::string> missing = MissingRequiredFlag(flags)) return UsageError(*missing, program);

  std::unique_ptr<LogSink> sink = flags.log_to_stdout ? MakeStreamSink(std::cout) : MakeJournalSink(std::cerr);
  Log log(*sink);
  ProcessRunner runner;
  Env env = ProcessEnv();
  return RunStage(flags, EngineDeps{stages, log, runner, env});
}

}  // namespace

int RunValidate(const std::vector<std::string>& args, const std::string& program) {
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (a == "-version" || a == "--version") {
      std::cout << "flint " << FLINT_VERSION << "\n";
      return kExitOk;
    }
    if (a == "-h" || a == "-help" || a == "--help") {
      std::cout << ValidateUsage(program);
      return kExitOk;
    }
    if (a.size() > 1 && a[0] == '-') {
      std::cerr << "flag provided but not defined: " << a << "\n" << ValidateUsage(program);
      return kExitUsage;
    }
    files.push_back(a);
  }
  if (files.size() != 1) {
    std::cerr << ValidateUsage(program);
    return kExitUsage;
  }
  std::string bytes;
  if (files[0] == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    try {
      // The input, its decoded strings and the model fit in about 3x its size.
      struct stat st;
      if (::stat(files[0].c_str(), &st) == 0 && S_ISREG(st.st_mode)) ReserveHeap(3 * static_cast<size_t>(st.st_size));
      bytes = ReadFile(files[0], "couldn't read config");
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
      return kExitFailed;
    }
  }
  schema::ParseResult r = schema::Parse(bytes);
  std::cout << r.report.String();
  return r.report.HasErrors() ? kExitFailed : kExitOk;
}

int RunSchema(const std::vector<std::string>& args) {
  std::optional<std::string> version_text;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--version" || a == "-version") && i + 1 < args.size()) {
      version_text = args[++i];
    } else if (a.rfind("--version=", 0) == 0 || a.rfind("-version=", 0) == 0) {
      version_text = a.substr(a.find('=') + 1);
    } else {
      std::cerr << "usage: flint schema --version VERSION\n";
      return kExitUsage;
    }
  }
  if (!version_text) {
    std::cerr << "usage: flint schema --version VERSION\n";
    return kExitUsage;
  }
  std::optional<schema::Version> version = schema::VersionFromString(*version_text);
  if (!version) {
    std::cerr << "flint schema: unsupported spec version " << GoQuote(*version_text) << "\n";
    return kExitUsage;
  }
  try {
    std::string text = schema::JsonSchema(*version);
    std::cout << text << (text.empty() || text.back() != '\n' ? "\n" : "");
  } catch (const std::exception& e) {
    std::cerr << "flint schema: " << e.what() << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

int Main(int argc, char** argv, const StageTable& stages) {
  EnsureStandardFds();
  std::string program = Basename(argc > 0 ? argv[0] : nullptr);
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);

  if (program == "ignition-validate") return RunValidate(args, program);
  if (program != "ignition" && !args.empty()) {
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "validate") return RunValidate(rest, "flint validate");
    if (args[0] == "schema") return RunSchema(rest);
    if (args[0] == "help") {
      std::cout << HelpText(StageNamesOf(stages));
      return kExitOk;
    }
  }
  return RunAgent(args, stages, program);
}

}  // namespace flint::agent
