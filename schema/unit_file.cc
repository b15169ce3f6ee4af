#include "schema/unit_file.h"

namespace flint::schema {
namespace {

constexpr size_t kBufferSize = 4096;  // bufio.NewReader's default
constexpr size_t kLineMax = 2048;     // go-systemd's SYSTEMD_LINE_MAX
constexpr char32_t kRuneError = 0xFFFD;

struct Decoded {
  char32_t rune;
  size_t size;
};

// Go's first-byte table: the encoded length, 1 for ASCII and invalid bytes.
size_t FirstLength(unsigned char c) {
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return 2;
  if (c >= 0xE0 && c <= 0xEF) return 3;
  if (c >= 0xF0 && c <= 0xF4) return 4;
  return 1;
}

void AcceptRange(unsigned char c, unsigned char& lo, unsigned char& hi) {
  lo = 0x80;
  hi = 0xBF;
  if (c == 0xE0) lo = 0xA0;
  if (c == 0xED) hi = 0x9F;
  if (c == 0xF0) lo = 0x90;
  if (c == 0xF4) hi = 0x8F;
}

// utf8.DecodeRune on s[pos, end).
Decoded DecodeRune(std::string_view s, size_t pos, size_t end) {
  unsigned char c = s[pos];
  if (c < 0x80) return {c, 1};
  size_t n = FirstLength(c);
  if (n == 1 || pos + n > end) return {kRuneError, 1};
  unsigned char lo, hi;
  AcceptRange(c, lo, hi);
  unsigned char c1 = s[pos + 1];
  if (c1 < lo || c1 > hi) return {kRuneError, 1};
  char32_t r = 0;
  if (n == 2) return {static_cast<char32_t>((c & 0x1F) << 6 | (c1 & 0x3F)), 2};
  unsigned char c2 = s[pos + 2];
  if (c2 < 0x80 || c2 > 0xBF) return {kRuneError, 1};
  if (n == 3) {
    r = (c & 0x0F) << 12 | (c1 & 0x3F) << 6 | (c2 & 0x3F);
    return {r, 3};
  }
  unsigned char c3 = s[pos + 3];
  if (c3 < 0x80 || c3 > 0xBF) return {kRuneError, 1};
  r = (c & 0x07) << 18 | (c1 & 0x3F) << 12 | (c2 & 0x3F) << 6 | (c3 & 0x3F);
  return {r, 4};
}

// utf8.FullRune on s[pos, end).
bool FullRune(std::string_view s, size_t pos, size_t end) {
  size_t n = end - pos;
  if (n == 0) return false;
  unsigned char c = s[pos];
  if (n >= FirstLength(c)) return true;
  unsigned char lo, hi;
  AcceptRange(c, lo, hi);
  unsigned char c1 = n > 1 ? s[pos + 1] : 0;
  if (n > 1 && (c1 < lo || c1 > hi)) return true;
  if (n > 2 && (static_cast<unsigned char>(s[pos + 2]) < 0x80 ||
                static_cast<unsigned char>(s[pos + 2]) > 0xBF))
    return true;
  return false;
}

// A bufio.Reader over a strings.Reader, tracking only positions: the line
// length check of go-systemd depends on how much happens to be buffered.
class BufReader {
 public:
  explicit BufReader(std::string_view s) : s_(s) {}

  size_t Buffered() const { return w_ - r_; }
  // The next n bytes (n <= Buffered()).
  std::string_view Peek(size_t n) const { return s_.substr(r_, n); }

  // Returns false at end of input.
  bool ReadRune(char32_t& out) {
    while (r_ + 4 > w_ && !FullRune(s_, r_, w_) && !eof_ && w_ - r_ < kBufferSize) Fill();
    last_rune_size_ = 0;
    if (r_ == w_) {
      eof_ = false;  // readErr clears the pending error
      return false;
    }
    Decoded d = DecodeRune(s_, r_, w_);
    r_ += d.size;
    last_rune_size_ = d.size;
    out = d.rune;
    return true;
  }

  void UnreadRune() { r_ -= last_rune_size_; }

  // ReadBytes(delim): the bytes up to and including delim; false when the
  // input ended first (the bytes read so far are still returned).
  bool ReadBytes(char delim, std::string_view& out) {
    size_t start = r_;
    for (;;) {
      size_t search = r_;
      for (;;) {
        size_t found = s_.substr(0, w_).find(delim, search);
        if (found != std::string_view::npos) {
          r_ = found + 1;
          out = s_.substr(start, r_ - start);
          return true;
        }
        if (eof_) {
          r_ = w_;
          eof_ = false;
          out = s_.substr(start, r_ - start);
          return false;
        }
        if (Buffered() >= kBufferSize) {
          r_ = w_;
          break;  // ErrBufferFull: ReadBytes keeps the fragment and goes on
        }
        search = w_;
        Fill();
      }
    }
  }

 private:
  void Fill() {
    size_t room = kBufferSize - (w_ - r_);
    size_t remaining = s_.size() - w_;
    if (remaining == 0) {
      eof_ = true;
      return;
    }
    w_ += remaining < room ? remaining : room;
  }

  std::string_view s_;
  size_t r_ = 0;
  size_t w_ = 0;
  bool eof_ = false;
  size_t last_rune_size_ = 0;
};

bool IsComment(char32_t r) { return r == '#' || r == ';'; }

std::string GoByteSlice(std::string_view b) {
  std::string out = "[";
  for (size_t i = 0; i < b.size(); ++i) {
    if (i) out += ' ';
    out += std::to_string(static_cast<unsigned char>(b[i]));
  }
  return out + "]";
}

// go-systemd's lexer: each step is one state; the line length check runs
// before every step.
class UnitLexer {
 public:
  explicit UnitLexer(std::string_view s) : buf_(s) {}

  UnitFile Run() {
    State next = State::kNextSection;
    while (next != State::kDone) {
      if (buf_.Buffered() >= kLineMax) {
        std::string_view peek = buf_.Peek(kLineMax);
        if (peek.find_first_of("\r\n") == std::string_view::npos)
          return Fail("line too long (max 2048 bytes)");
      }
      next = Step(next);
      if (error_) return Fail(*error_);
    }
    return std::move(out_);
  }

 private:
  enum class State {
    kDone, kNextSection, kSectionName, kSectionSuffix, kNextSectionOrOption, kOptionName,
    kOptionValue, kIgnoreLine
  };

  UnitFile Fail(std::string message) {
    out_.error = std::move(message);
    return std::move(out_);
  }

  // toEOL: the line without its "\n" (and a "\r" before the "\n" is kept,
  // as go-systemd trims "\r" first); `eof` when the input ended.
  std::string_view ToEol(bool& eof) {
    std::string_view line;
    eof = !buf_.ReadBytes('\n', line);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    return line;
  }

  State Step(State s) {
    char32_t r = 0;
    bool eof = false;
    switch (s) {
      case State::kNextSection:
        if (!buf_.ReadRune(r)) return State::kDone;
        if (r == '[') return State::kSectionName;
        if (IsComment(r)) {
          after_ignore_ = State::kNextSection;
          return State::kIgnoreLine;
        }
        return State::kNextSection;
      case State::kSectionName: {
        std::string_view sec;
        if (!buf_.ReadBytes(']', sec)) {
          error_ = "unable to find end of section";
          return State::kDone;
        }
        pending_section_ = std::string(sec.substr(0, sec.size() - 1));
        return State::kSectionSuffix;
      }
      case State::kSectionSuffix: {
        std::string_view garbage = GoTrimSpace(ToEol(eof));
        if (!garbage.empty()) {
          // go-systemd prints a field that is never set instead of the name.
          error_ = "found garbage after section name : " + GoByteSlice(garbage);
          return State::kDone;
        }
        section_ = pending_section_;
        return State::kNextSectionOrOption;
      }
      case State::kNextSectionOrOption:
        if (!buf_.ReadRune(r)) return State::kDone;
        if (IsGoSpace(r)) return State::kNextSectionOrOption;
        if (r == '[') return State::kSectionName;
        if (IsComment(r)) {
          after_ignore_ = State::kNextSectionOrOption;
          return State::kIgnoreLine;
        }
        buf_.UnreadRune();
        return State::kOptionName;
      case State::kOptionName: {
        std::string name;
        for (;;) {
          if (!buf_.ReadRune(r)) {
            error_ = "EOF";
            return State::kDone;
          }
          if (r == '\n' || r == '\r') {
            error_ = "unexpected newline encountered while parsing option name";
            return State::kDone;
          }
          if (r == '=') break;
          AppendRune(name, r);
        }
        option_name_ = std::string(GoTrimSpace(name));
        partial_.clear();
        return State::kOptionValue;
      }
      case State::kOptionValue: {
        std::string_view line = ToEol(eof);
        if (!GoTrimSpace(line).empty()) {
          partial_ += line;
          size_t idx = line.rfind('\\');
          if (idx != std::string_view::npos && idx == line.size() - 1) {
            if (!eof) partial_ += '\n';
            return State::kOptionValue;
          }
        }
        std::string value;
        if (!partial_.empty() && partial_.back() == '\n')
          value = std::string(GoTrimSpace(partial_)) + "\n";
        else
          value = std::string(GoTrimSpace(partial_));
        out_.options.push_back({section_, option_name_, std::move(value)});
        return State::kNextSectionOrOption;
      }
      case State::kIgnoreLine:
        for (;;) {
          std::string_view line = ToEol(eof);
          if (!line.empty() && line.back() == ' ') line.remove_suffix(1);
          if (line.empty() || line.back() != '\\') break;
        }
        return after_ignore_;
      case State::kDone:
        break;
    }
    return State::kDone;
  }

  static void AppendRune(std::string& out, char32_t r) {
    if (r < 0x80) {
      out += static_cast<char>(r);
    } else if (r < 0x800) {
      out += static_cast<char>(0xC0 | (r >> 6));
      out += static_cast<char>(0x80 | (r & 0x3F));
    } else if (r < 0x10000) {
      out += static_cast<char>(0xE0 | (r >> 12));
      out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (r & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (r >> 18));
      out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (r & 0x3F));
    }
  }

  BufReader buf_;
  UnitFile out_;
  std::optional<std::string> error_;
  std::string section_;
  std::string pending_section_;
  std::string option_name_;
  std::string partial_;
  State after_ignore_ = State::kNextSection;
};

}  // namespace

bool IsGoSpace(char32_t r) {
  switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
  }
  return r >= 0x2000 && r <= 0x200A;
}

std::string_view GoTrimSpace(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    Decoded d = DecodeRune(s, begin, s.size());
    if (!IsGoSpace(d.rune)) break;
    begin += d.size;
  }
  size_t end = s.size();
  while (end > begin) {
    // Step back over one encoded rune (Go's DecodeLastRune).
    size_t start = end - 1;
    while (start > begin && end - start < 4 &&
           (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
      --start;
    Decoded d = DecodeRune(s, start, end);
    if (start + d.size != end) d = {kRuneError, 1}, start = end - 1;
    if (!IsGoSpace(d.rune)) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

UnitFile ParseUnitFile(std::string_view contents) { return UnitLexer(contents).Run(); }

}  // namespace flint::schema
