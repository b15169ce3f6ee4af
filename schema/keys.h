// The identity of list items, as upstream Ignition's Key() methods define it,
// and which lists share one key space or allow duplicates. Merging (and
// duplicate detection) use this one table. Pure.
#pragma once

#include <string>
#include <string_view>

#include "schema/model.h"

namespace flint::schema {

// Plain strings (ssh keys, kernel arguments, options...) are their own key.
inline const std::string& Key(const std::string& s) { return s; }
inline std::string Key(const Resource& r) { return r.source.value_or(""); }
inline const std::string& Key(const HttpHeader& h) { return h.name; }
inline const std::string& Key(const PasswdUser& u) { return u.name; }
inline const std::string& Key(const PasswdGroup& g) { return g.name; }
inline const std::string& Key(const Disk& d) { return d.device; }
inline const std::string& Key(const Raid& r) { return r.name; }
inline const std::string& Key(const Filesystem& f) { return f.device; }
inline const std::string& Key(const Node& n) { return n.path; }
inline const std::string& Key(const Tang& t) { return t.url; }
inline const std::string& Key(const Luks& l) { return l.name; }
inline const std::string& Key(const Unit& u) { return u.name; }
inline const std::string& Key(const Dropin& d) { return d.name; }

// A partition is known by its number, or by its label when the number is 0
// (the next free one); with neither its key is empty.
inline std::string Key(const Partition& p) {
  if (p.number != 0) return "number:" + std::to_string(p.number);
  if (p.label) return "label:" + *p.label;
  return "";
}

// Per struct: the key space ("handle") of each list field, and the list
// fields whose items are not keyed at all (concatenated when merging,
// duplicates allowed). `field` is the JSON name from fields.h.
template <class T>
struct ListRules {
  static constexpr std::string_view Handle(std::string_view field) { return field; }
  static constexpr bool AllowsDuplicates(std::string_view) { return false; }
};

// Files, directories and links live in one namespace of paths.
template <>
struct ListRules<Storage> {
  static constexpr std::string_view Handle(std::string_view field) {
    if (field == "files" || field == "directories" || field == "links") return "node";
    return field;
  }
  static constexpr bool AllowsDuplicates(std::string_view) { return false; }
};

// An argument is either wanted or unwanted, never both.
template <>
struct ListRules<KernelArguments> {
  static constexpr std::string_view Handle(std::string_view) { return "kernelArgument"; }
  static constexpr bool AllowsDuplicates(std::string_view) { return false; }
};

template <>
struct ListRules<Filesystem> {
  static constexpr std::string_view Handle(std::string_view field) { return field; }
  static constexpr bool AllowsDuplicates(std::string_view field) {
    return field == "options" || field == "mountOptions";
  }
};

template <>
struct ListRules<Raid> {
  static constexpr std::string_view Handle(std::string_view field) { return field; }
  static constexpr bool AllowsDuplicates(std::string_view field) { return field == "options"; }
};

template <>
struct ListRules<Luks> {
  static constexpr std::string_view Handle(std::string_view field) { return field; }
  // Only `options`: upstream keys `openOptions` like any other list.
  static constexpr bool AllowsDuplicates(std::string_view field) { return field == "options"; }
};

template <>
struct ListRules<File> {
  static constexpr std::string_view Handle(std::string_view field) { return field; }
  static constexpr bool AllowsDuplicates(std::string_view field) { return field == "append"; }
};

}  // namespace flint::schema
