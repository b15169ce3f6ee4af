#include "agent/log.h"

// Our call site in this file is no use as CODE_FILE/CODE_LINE.
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

namespace flint::agent {

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kCritical:
      return "CRITICAL";
    case Level::kError:
      return "ERROR";
    case Level::kWarning:
      return "WARNING";
    case Level::kNotice:
      return "NOTICE";
    case Level::kInfo:
      return "INFO";
    case Level::kDebug:
      return "DEBUG";
  }
  return "INFO";
}

std::string FormatLine(const LogEntry& entry) {
  std::string line(LevelName(entry.level));
  line += ": ";
  if (!entry.stage.empty()) line += entry.stage + ": ";
  line += entry.message;
  return line;
}

std::vector<std::string> JournalFields(const LogEntry& entry) {
  std::vector<std::string> fields = {
      "MESSAGE=" + entry.message,
      "PRIORITY=" + std::to_string(static_cast<int>(entry.level)),
      "SYSLOG_IDENTIFIER=flint",
  };
  if (!entry.stage.empty()) fields.push_back("FLINT_STAGE=" + entry.stage);
  for (const LogField& f : entry.fields) fields.push_back(f.name + "=" + f.value);
  return fields;
}

namespace {

class StreamSink : public LogSink {
 public:
  explicit StreamSink(std::ostream& out) : out_(out) {}
  void Write(const LogEntry& entry) override { out_ << FormatLine(entry) << std::endl; }

 private:
  std::ostream& out_;
};

// sd_journal_sendv() succeeds silently when journald is not running, so
// look for its socket first; without it, lines go to the fallback stream.
constexpr const char* kJournalSocket = "/run/systemd/journal/socket";

class JournalSink : public LogSink {
 public:
  explicit JournalSink(std::ostream& fallback)
      : fallback_(fallback), journal_(::access(kJournalSocket, W_OK) == 0) {}
  void Write(const LogEntry& entry) override {
    if (journal_) {
      std::vector<std::string> fields = JournalFields(entry);
      std::vector<iovec> iov;
      for (std::string& f : fields) iov.push_back({f.data(), f.size()});
      if (sd_journal_sendv(iov.data(), static_cast<int>(iov.size())) >= 0) return;
    }
    fallback_ << FormatLine(entry) << std::endl;
  }

 private:
  std::ostream& fallback_;
  bool journal_;
};

}  // namespace

std::unique_ptr<LogSink> MakeJournalSink(std::ostream& fallback) {
  return std::make_unique<JournalSink>(fallback);
}

std::unique_ptr<LogSink> MakeStreamSink(std::ostream& out) { return std::make_unique<StreamSink>(out); }

std::string CapturingSink::Text() const {
  std::string text;
  for (const LogEntry& e : entries) {
    if (!text.empty()) text += '\n';
    text += FormatLine(e);
  }
  return text;
}

void Log::Write(Level level, std::string message, std::vector<LogField> fields) {
  sink_->Write(LogEntry{level, stage_, std::move(message), std::move(fields)});
}

}  // namespace flint::agent
