#include "agent/os/runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "agent/error.h"
#include "agent/os/fd.h"

extern char** environ;

namespace flint::agent {
namespace {

struct Pipe {
  Fd read;
  Fd write;
};

Pipe MakePipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw Failure("creating a pipe").Errno(errno);
  return {Fd(fds[0]), Fd(fds[1])};
}

// posix_spawn file actions, owned.
class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  void Dup(int from, int to) { posix_spawn_file_actions_adddup2(&actions_, from, to); }
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

// Shuttles `input` into the child's stdin and collects its stdout and stderr
// until both are closed, without deadlocking on full pipes.
void Pump(Fd in, Fd out, Fd err, std::string_view input, RunResult& result) {
  if (input.empty()) in.Reset();
  // A blocking write of a large input would wait for the child to read it
  // all while the child waits for us to read its output.
  if (in) ::fcntl(in.get(), F_SETFL, ::fcntl(in.get(), F_GETFL) | O_NONBLOCK);
  char buf[65536];
  while (out || err || in) {
    pollfd fds[3];
    int n = 0;
    int out_i = -1, err_i = -1, in_i = -1;
    if (out) out_i = n, fds[n++] = {out.get(), POLLIN, 0};
    if (err) err_i = n, fds[n++] = {err.get(), POLLIN, 0};
    if (in) in_i = n, fds[n++] = {in.get(), POLLOUT, 0};
    if (::poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      throw Failure("poll").Errno(errno);
    }
    auto drain = [&](int i, Fd& fd, std::string& sink) {
      if (i < 0 || fds[i].revents == 0) return;
      ssize_t r = ::read(fd.get(), buf, sizeof buf);
      if (r > 0) {
        sink.append(buf, static_cast<size_t>(r));
      } else if (r == 0 || errno != EINTR) {
        fd.Reset();
      }
    };
    drain(out_i, out, result.out);
    drain(err_i, err, result.err);
    if (in_i >= 0 && fds[in_i].revents != 0) {
      ssize_t w = ::write(in.get(), input.data(), input.size());
      if (w > 0) input.remove_prefix(static_cast<size_t>(w));
      if ((w < 0 && errno != EINTR && errno != EAGAIN) || input.empty()) in.Reset();
    }
  }
}

}  // namespace

RunResult ProcessRunner::Run(const Argv& argv, std::string_view input) {
  if (argv.empty()) throw Failure("running a program").Cause("empty argv");
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  Pipe in = MakePipe(), out = MakePipe(), err = MakePipe();
  FileActions actions;
  actions.Dup(in.read.get(), 0);
  actions.Dup(out.write.get(), 1);
  actions.Dup(err.write.get(), 2);

  // A closed stdin pipe must not kill flint with SIGPIPE.
  struct sigaction ignore {}, previous {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);

  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], actions.get(), nullptr, args.data(), environ);
  in.read.Reset();
  out.write.Reset();
  err.write.Reset();
  if (rc != 0) {
    sigaction(SIGPIPE, &previous, nullptr);
    throw Failure("executing").Path(argv[0]).Errno(rc);
  }

  RunResult result;
  try {
    Pump(std::move(in.write), std::move(out.read), std::move(err.read), input, result);
  } catch (...) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    sigaction(SIGPIPE, &previous, nullptr);
    throw;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  sigaction(SIGPIPE, &previous, nullptr);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

RunResult FakeRunner::Run(const Argv& argv, std::string_view input) {
  calls.push_back(argv);
  inputs.emplace_back(input);
  if (!results.empty()) {
    RunResult r = std::move(results.front());
    results.pop_front();
    return r;
  }
  if (handler) return handler(argv);
  return {};
}

std::string FormatArgv(const Argv& argv) {
  std::string s;
  for (const std::string& a : argv) {
    if (!s.empty()) s += ' ';
    bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                   "0123456789@%_-+=:,./") == std::string::npos;
    if (plain) {
      s += a;
      continue;
    }
    s += '\'';
    for (char c : a) s += c == '\'' ? std::string("'\\''") : std::string(1, c);
    s += '\'';
  }
  return s;
}

RunResult RunChecked(Runner& runner, const Argv& argv, std::string_view input) {
  RunResult r = runner.Run(argv, input);
  if (r.exit_code != 0) {
    std::string err = r.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    throw Failure(FormatArgv(argv) + " exited " + std::to_string(r.exit_code)).Cause(err.empty() ? "(no stderr)" : err);
  }
  return r;
}

}  // namespace flint::agent
