#include "schema/json_reader.h"

#include <iterator>
#include <vector>

namespace flint::schema {
namespace {

using nlohmann::json;

// Follows the characters nlohmann's lexer consumes and remembers where the
// current token began. SAX callbacks arrive right after their token is lexed
// (a number after one character of lookahead, which is never a token start in
// valid JSON), so at each callback `token_start` is the start of that value.
struct Tracker {
  Position token_start{1, 1};
  Position last{1, 0};  // the last character consumed
  size_t line = 1;
  size_t column = 0;
  bool in_string = false;
  bool escaped = false;
  bool in_scalar = false;

  void Consume(char c) {
    ++column;
    last = {line, column};
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
      in_scalar = false;
      token_start = last;
    } else if (c == '{' || c == '[') {
      in_scalar = false;
      token_start = last;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' ||
               c == ']' || c == '}') {
      in_scalar = false;
    } else if (!in_scalar) {
      in_scalar = true;
      token_start = last;
    }
    if (c == '\n') {
      ++line;
      column = 0;
    }
  }
};

// An input iterator over the text that reports every consumed character.
class TrackingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator(const char* p, Tracker* t) : p_(p), t_(t) {}
  reference operator*() const { return *p_; }
  TrackingIterator& operator++() {
    t_->Consume(*p_);
    ++p_;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const TrackingIterator& o) const { return p_ == o.p_; }
  bool operator!=(const TrackingIterator& o) const { return p_ != o.p_; }

 private:
  const char* p_;
  Tracker* t_;
};

// Builds the DOM and the position index, and checks duplicates and depth.
class Builder : public nlohmann::json_sax<json> {
 public:
  Builder(const Tracker& tracker, Report& report) : tracker_(tracker), report_(report) {}

  bool null() override { return Value(nullptr); }
  bool boolean(bool v) override { return Value(v); }
  bool number_integer(number_integer_t v) override { return Value(v); }
  bool number_unsigned(number_unsigned_t v) override { return Value(v); }
  bool number_float(number_float_t v, const string_t&) override { return Value(v); }
  bool string(string_t& v) override { return Value(std::move(v)); }
  bool binary(binary_t&) override { return false; }  // not produced by the text parser

  bool start_object(std::size_t) override { return Open(json::object()); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& k) override {
    Frame& f = frames_.back();
    f.key = std::move(k);
    std::string path = f.path + "." + f.key;
    if (f.node->contains(f.key)) {
      Entry e;
      e.severity = Severity::kError;
      e.path = f.path_value / f.key;
      e.position = tracker_.token_start;
      e.message = "duplicate key \"" + f.key + "\"";
      report_.Add(std::move(e));
    }
    doc_.positions.SetKey(std::move(path), tracker_.token_start);
    return true;
  }

  bool parse_error(std::size_t, const std::string& last_token,
                   const nlohmann::detail::exception& ex) override {
    std::string what = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: <detail>"
    size_t colon = what.find(": ");
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    std::string message = "invalid JSON: " + detail;
    if (last_token.find('#') != std::string::npos || last_token.find("/") == 0 ||
        last_token.find("/*") != std::string::npos || last_token.find("//") != std::string::npos)
      message += " (comments are not allowed in JSON)";
    report_.ErrorAt(tracker_.last, std::move(message));
    failed_ = true;
    return false;
  }

  bool failed() const { return failed_; }
  JsonDocument Take() { return std::move(doc_); }

 private:
  struct Frame {
    json* node;
    std::string path;  // string form of the node's path, "$.a.0"
    Path path_value;
    std::string key;   // the pending key, for objects
  };

  // Where the next value goes, and its path.
  std::pair<json*, std::pair<std::string, Path>> Slot() {
    if (frames_.empty()) return {&doc_.root, {"$", Path()}};
    Frame& f = frames_.back();
    if (f.node->is_object()) {
      json* slot = &(*f.node)[f.key];
      *slot = nullptr;
      return {slot, {f.path + "." + f.key, f.path_value / f.key}};
    }
    size_t index = f.node->size();
    f.node->push_back(nullptr);
    return {&f.node->back(), {f.path + "." + std::to_string(index), f.path_value / index}};
  }

  template <class T>
  bool Value(T&& v) {
    auto [slot, path] = Slot();
    *slot = std::forward<T>(v);
    doc_.positions.SetValue(std::move(path.first), tracker_.token_start);
    return true;
  }

  bool Open(json empty) {
    if (frames_.size() >= kMaxJsonDepth) {
      report_.ErrorAt(tracker_.token_start, "invalid JSON: nesting deeper than " +
                                                std::to_string(kMaxJsonDepth) + " levels");
      failed_ = true;
      return false;
    }
    auto [slot, path] = Slot();
    *slot = std::move(empty);
    doc_.positions.SetValue(path.first, tracker_.token_start);
    frames_.push_back({slot, std::move(path.first), std::move(path.second), {}});
    return true;
  }

  bool Close() {
    frames_.pop_back();
    return true;
  }

  const Tracker& tracker_;
  Report& report_;
  JsonDocument doc_;
  std::vector<Frame> frames_;
  bool failed_ = false;
};

}  // namespace

std::optional<Position> PositionIndex::ValuePosition(const Path& p) const {
  auto it = values_.find(p.String());
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<Position> PositionIndex::KeyPosition(const Path& p) const {
  auto it = keys_.find(p.String());
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

std::optional<JsonDocument> ReadJson(std::string_view text, Report& report) {
  Tracker tracker;
  Builder builder(tracker, report);
  TrackingIterator first(text.data(), &tracker);
  TrackingIterator last(text.data() + text.size(), &tracker);
  bool ok = false;
  try {
    ok = json::sax_parse(first, last, &builder, nlohmann::json::input_format_t::json, true);
  } catch (const std::exception& e) {
    // The SAX parser reports through parse_error; anything else is a bug in
    // the input that nlohmann chose to throw for.
    report.ErrorAt(tracker.last, std::string("invalid JSON: ") + e.what());
    return std::nullopt;
  }
  if (!ok || builder.failed()) return std::nullopt;
  return builder.Take();
}

}  // namespace flint::schema
