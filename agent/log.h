// Logging: to the journal (sd_journal_send, identifier `flint`, structured
// FLINT_* fields) or, with -log-to-stdout, to a stream as
// `LEVEL: stage: message`. Never pass secrets (config contents, header
// values, keys, passwords) to a log call.
#pragma once

#include <exception>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "agent/error.h"

namespace flint::agent {

// syslog priorities.
enum class Level { kCritical = 2, kError = 3, kWarning = 4, kNotice = 5, kInfo = 6, kDebug = 7 };

std::string_view LevelName(Level level);  // "CRITICAL", "ERROR", ...

struct LogEntry {
  Level level = Level::kInfo;
  std::string stage;
  std::string message;
  std::vector<LogField> fields;
};

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void Write(const LogEntry& entry) = 0;
};

// `LEVEL: stage: message` (without the stage part when there is none).
std::string FormatLine(const LogEntry& entry);

// The journal fields of `entry`: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER=flint,
// FLINT_STAGE, then the entry's own fields.
std::vector<std::string> JournalFields(const LogEntry& entry);

// Writes to the journal; falls back to `fallback` (FormatLine lines) when
// journald is not running or refuses a message.
std::unique_ptr<LogSink> MakeJournalSink(std::ostream& fallback);
// Writes FormatLine(entry) lines to `out`.
std::unique_ptr<LogSink> MakeStreamSink(std::ostream& out);

// Keeps entries in memory, for tests.
class CapturingSink : public LogSink {
 public:
  void Write(const LogEntry& entry) override { entries.push_back(entry); }
  // FormatLine of every entry, joined with '\n'.
  std::string Text() const;
  std::vector<LogEntry> entries;
};

class Log {
 public:
  explicit Log(LogSink& sink, std::string stage = "") : sink_(&sink), stage_(std::move(stage)) {}

  void SetStage(std::string stage) { stage_ = std::move(stage); }
  const std::string& stage() const { return stage_; }

  void Write(Level level, std::string message, std::vector<LogField> fields = {});
  void Critical(std::string m, std::vector<LogField> f = {}) { Write(Level::kCritical, std::move(m), std::move(f)); }
  void Error(std::string m, std::vector<LogField> f = {}) { Write(Level::kError, std::move(m), std::move(f)); }
  void Warning(std::string m, std::vector<LogField> f = {}) { Write(Level::kWarning, std::move(m), std::move(f)); }
  void Notice(std::string m, std::vector<LogField> f = {}) { Write(Level::kNotice, std::move(m), std::move(f)); }
  void Info(std::string m, std::vector<LogField> f = {}) { Write(Level::kInfo, std::move(m), std::move(f)); }
  void Debug(std::string m, std::vector<LogField> f = {}) { Write(Level::kDebug, std::move(m), std::move(f)); }

  // Runs fn(), logging `what: started` and then `what: finished` or
  // `what: failed`; the exception propagates unchanged (its cause is logged
  // once, at the stage boundary).
  template <class F>
  decltype(auto) Step(std::string_view what, F&& fn) {
    std::string w(what);
    Info(w + ": started");
    try {
      if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
        fn();
        Info(w + ": finished");
      } else {
        decltype(auto) result = fn();
        Info(w + ": finished");
        return result;
      }
    } catch (...) {
      Error(w + ": failed");
      throw;
    }
  }

 private:
  LogSink* sink_;
  std::string stage_;
};

}  // namespace flint::agent
