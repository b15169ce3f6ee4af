#include "schema/json_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

#include "schema/json_string.h"

namespace flint::schema {
namespace {

using nlohmann::json;
using NodeId = PositionIndex::NodeId;

// Duplicate keys reported one by one; more are counted in one last entry (a
// small document could otherwise ask for millions of deep paths).
constexpr size_t kMaxDuplicateKeyReports = 100;

// Past this many values the index's 32-bit ids would wrap; no config is near.
constexpr size_t kMaxValues = std::numeric_limits<NodeId>::max() - 1;

std::string DescribeByte(char ch) {
  unsigned char c = static_cast<unsigned char>(ch);
  if (c > 0x20 && c < 0x7F) return std::string("character '") + ch + "'";
  const char* digits = "0123456789ABCDEF";
  return std::string("byte 0x") + digits[c >> 4] + digits[c & 15];
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A JSON number that does not fit a 64-bit integer, or has a fraction or an
// exponent, as a double. Out-of-range magnitudes become infinity or zero,
// never an error: the decoder reports them where an integer was expected.
double ToDouble(std::string_view literal) {
  double v = 0;
  if (std::from_chars(literal.data(), literal.data() + literal.size(), v).ec == std::errc())
    return v;
  // Out of range: infinity when the number's decimal magnitude is positive.
  bool negative = literal.front() == '-';
  std::string_view digits = literal.substr(negative ? 1 : 0);
  size_t e = digits.find_first_of("eE");
  std::string_view mantissa = digits.substr(0, e);
  long magnitude = 0;  // roughly log10 of the mantissa
  size_t dot = mantissa.find('.');
  std::string_view whole = mantissa.substr(0, dot);
  size_t first = whole.find_first_not_of('0');
  if (first != whole.npos) {
    magnitude = static_cast<long>(whole.size() - first);
  } else if (dot != mantissa.npos) {
    size_t nonzero = mantissa.find_first_not_of('0', dot + 1);
    if (nonzero == mantissa.npos) return negative ? -0.0 : 0.0;
    magnitude = -static_cast<long>(nonzero - dot - 1);
  }
  if (e != digits.npos) {
    std::string_view exp = digits.substr(e + 1);
    if (exp[0] == '+') exp.remove_prefix(1);
    long exponent = 0;
    // Clamped far beyond any double's range but far from overflowing the sum.
    constexpr long kFar = 1L << 40;
    if (std::from_chars(exp.data(), exp.data() + exp.size(), exponent).ec != std::errc())
      exponent = exp[0] == '-' ? -kFar : kFar;
    magnitude += std::clamp(exponent, -kFar, kFar);
  }
  bool huge = magnitude > 0;
  double v_abs = huge ? std::numeric_limits<double>::infinity() : 0.0;
  return negative ? -v_abs : v_abs;
}

class Reader {
 public:
  Reader(std::string_view text, Report& report, const InputConsumed& consumed)
      : begin_(text.data()), p_(begin_), end_(p_ + text.size()), line_start_(p_), report_(report), consumed_(consumed) {}

  std::optional<JsonDocument> Read() {
    if (!ReadAll()) return std::nullopt;
    if (duplicates_ > kMaxDuplicateKeyReports)
      report_.ErrorAt(first_unlisted_duplicate_,
                      std::to_string(duplicates_ - kMaxDuplicateKeyReports) +
                          " more duplicate keys are not listed");
    return std::move(doc_);
  }

 private:
  struct Frame {
    json* node;
    NodeId id;
    bool is_object;
    size_t children_start;  // into children_
    size_t count = 0;
    std::string key;  // the member being read, for duplicate-key paths
  };

  bool ReadAll() {
    if (end_ - p_ >= 3 && std::string_view(p_, 3) == "\xEF\xBB\xBF")
      return Fail("byte order mark (U+FEFF) at the start; JSON must not have one");
    SkipWhitespace();
    if (!Value(&doc_.root, doc_.positions.AddNode(Here()))) return false;
    while (!frames_.empty()) {
      if (!Continue()) return false;
    }
    SkipWhitespace();
    if (p_ != end_) return Fail(Unexpected("end of input"));
    return true;
  }

  Position Here() const { return {line_, static_cast<size_t>(p_ - line_start_) + 1}; }

  void SkipWhitespace() {
    while (p_ != end_) {
      char c = *p_;
      if (c == '\n') {
        ++line_;
        line_start_ = p_ + 1;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      ++p_;
    }
  }

  // Reports a syntax error at p_; returns false for `return Fail(...)`.
  bool Fail(const std::string& message) {
    report_.ErrorAt(Here(), "invalid JSON: " + message);
    return false;
  }

  std::string Unexpected(const std::string& expected) const {
    if (p_ == end_) return "unexpected end of input; expected " + expected;
    std::string m = "unexpected " + DescribeByte(*p_) + "; expected " + expected;
    if (*p_ == '#' || *p_ == '/') m += " (comments are not allowed in JSON)";
    return m;
  }

  // One step inside the innermost open array or object: the next member or
  // element, or the end of the container.
  bool Continue() {
    Frame& f = frames_.back();
    SkipWhitespace();
    if (p_ != end_ && *p_ == (f.is_object ? '}' : ']')) {
      ++p_;
      Close();
      return true;
    }
    if (f.count > 0) {
      if (p_ == end_ || *p_ != ',')
        return Fail(Unexpected(f.is_object ? "',' or '}'" : "',' or ']'"));
      ++p_;
      SkipWhitespace();
    }
    ++f.count;
    if (!f.is_object) {
      f.node->push_back(nullptr);
      return Value(&f.node->back(), NewNode(Here(), {}, {}));
    }
    if (p_ == end_ || *p_ != '"')
      return Fail(Unexpected(f.count == 1 ? "a string key or '}'" : "a string key"));
    Position key_pos = Here();
    std::optional<std::string> key = String();
    if (!key) return false;
    SkipWhitespace();
    if (p_ == end_ || *p_ != ':') return Fail(Unexpected("':' after an object key"));
    ++p_;
    SkipWhitespace();
    auto [it, inserted] = f.node->get_ref<json::object_t&>().emplace(*key, nullptr);
    f.key = *key;
    if (!inserted) DuplicateKey(key_pos);
    return Value(&it->second, NewNode(Here(), std::move(*key), key_pos));
  }

  NodeId NewNode(Position pos, std::string key, Position key_pos) {
    NodeId id = doc_.positions.AddNode(pos, std::move(key), key_pos);
    children_.push_back(id);
    return id;
  }

  void DuplicateKey(Position key_pos) {
    if (++duplicates_ > kMaxDuplicateKeyReports) {
      if (duplicates_ == kMaxDuplicateKeyReports + 1) first_unlisted_duplicate_ = key_pos;
      return;
    }
    Path path;
    for (const Frame& f : frames_) {
      if (f.is_object)
        path /= f.key;
      else
        path /= f.count - 1;
    }
    Entry e;
    e.severity = Severity::kError;
    e.path = path;
    e.position = key_pos;
    e.message = "duplicate key \"" + frames_.back().key + "\"";
    report_.Add(std::move(e));
  }

  // Reads the value at p_ into *slot; an array or object is opened and
  // filled by later Continue() calls.
  bool Value(json* slot, NodeId id) {
    if (doc_.positions.size() > kMaxValues) return Fail("too many values");
    if (p_ == end_) return Fail(Unexpected("a value"));
    switch (*p_) {
      case '{':
      case '[':
        return Open(slot, id, *p_ == '{');
      case '"': {
        std::optional<std::string> s = String();
        if (!s) return false;
        *slot = std::move(*s);
        return true;
      }
      case 't':
        return Literal("true", slot, true);
      case 'f':
        return Literal("false", slot, false);
      case 'n':
        return Literal("null", slot, nullptr);
      default:
        if (*p_ == '-' || IsDigit(*p_)) return Number(slot);
        return Fail(Unexpected("a value"));
    }
  }

  bool Open(json* slot, NodeId id, bool is_object) {
    if (frames_.size() >= kMaxJsonDepth)
      return Fail("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    ++p_;
    *slot = is_object ? json::object() : json::array();
    frames_.push_back(Frame{slot, id, is_object, children_.size(), 0, {}});
    return true;
  }

  void Close() {
    Frame& f = frames_.back();
    std::span<NodeId> kids(children_.data() + f.children_start,
                           children_.size() - f.children_start);
    doc_.positions.SetChildren(f.id, f.is_object, kids);
    children_.resize(f.children_start);
    frames_.pop_back();
  }

  std::optional<std::string> String() {
    ++p_;  // the opening quote
    StringScan scan = ScanJsonString(std::string_view(p_, static_cast<size_t>(end_ - p_)));
    if (!scan.ok) {
      p_ += scan.error_offset;
      Fail(scan.error);
      return std::nullopt;
    }
    std::string value = DecodeJsonString(std::string_view(p_, scan.length), scan.has_escapes);
    p_ += scan.length + 1;
    // Strings are where a big config's bytes are: report progress after them.
    if (consumed_ && static_cast<size_t>(p_ - begin_) >= next_consumed_report_) {
      consumed_(static_cast<size_t>(p_ - begin_));
      next_consumed_report_ = static_cast<size_t>(p_ - begin_) + kConsumedReportStep;
    }
    return value;
  }

  template <class T>
  bool Literal(std::string_view word, json* slot, T value) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word)
      return Fail("invalid literal; expected " + std::string(word));
    p_ += word.size();
    *slot = value;
    return true;
  }

  bool Number(json* slot) {
    const char* start = p_;
    bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_ || !IsDigit(*p_)) return Fail("invalid number; expected a digit after '-'");
    if (*p_ == '0' && p_ + 1 != end_ && IsDigit(p_[1])) {
      ++p_;
      return Fail("invalid number; leading zeros are not allowed");
    }
    while (p_ != end_ && IsDigit(*p_)) ++p_;
    bool integer = true;
    if (p_ != end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return Fail("invalid number; expected a digit after '.'");
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !IsDigit(*p_))
        return Fail("invalid number; expected a digit in the exponent");
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    std::string_view literal(start, static_cast<size_t>(p_ - start));
    // As nlohmann_json: non-negative integers are unsigned, negative ones
    // signed, and integers too large for 64 bits become doubles.
    if (integer && negative) {
      int64_t v = 0;
      if (std::from_chars(literal.data(), literal.data() + literal.size(), v).ec == std::errc()) {
        *slot = v;
        return true;
      }
    } else if (integer) {
      uint64_t v = 0;
      if (std::from_chars(literal.data(), literal.data() + literal.size(), v).ec == std::errc()) {
        *slot = v;
        return true;
      }
    }
    *slot = ToDouble(literal);
    return true;
  }

  static constexpr size_t kConsumedReportStep = 1 << 20;

  const char* begin_;
  const char* p_;
  const char* end_;
  size_t line_ = 1;
  const char* line_start_;
  Report& report_;
  const InputConsumed& consumed_;
  size_t next_consumed_report_ = kConsumedReportStep;
  JsonDocument doc_;
  std::vector<Frame> frames_;
  std::vector<NodeId> children_;  // of every open container, innermost last
  size_t duplicates_ = 0;
  Position first_unlisted_duplicate_;
};

}  // namespace

std::optional<JsonDocument> ReadJson(std::string_view text, Report& report) {
  return ReadJson(text, report, InputConsumed());
}

std::optional<JsonDocument> ReadJson(std::string_view text, Report& report, const InputConsumed& consumed) {
  return Reader(text, report, consumed).Read();
}

}  // namespace flint::schema
