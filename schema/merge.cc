#include "schema/merge.h"

#include <map>
#include <set>
#include <type_traits>
#include <utility>

#include "schema/fields.h"
#include "schema/keys.h"

namespace flint::schema {
namespace {

template <class T>
inline constexpr bool kIsList = false;
template <class T>
inline constexpr bool kIsList<std::vector<T>> = true;

// Where the child's item of a (key space, key) sits: list and index.
struct Slot {
  std::string_view field;
  size_t index;
};
using ChildIndex = std::map<std::pair<std::string_view, std::string>, Slot>;

template <class T>
T MergeValue(const T&, const T& child)
  requires(std::is_same_v<T, std::string> || std::is_same_v<T, int64_t>)
{
  return child;  // Go non-pointer primitives: the child's, even zero.
}

template <class T>
std::optional<T> MergeValue(const std::optional<T>& parent, const std::optional<T>& child) {
  return child ? child : parent;
}

template <Record T>
T MergeValue(const T& parent, const T& child);

// Indexes the child's keyed lists. When one key appears twice in a key space
// (only in an invalid config), the later one wins as upstream, whose Go
// fields are declared in the alphabetical order of their JSON names.
template <Record T>
ChildIndex IndexChildLists(const T& child) {
  ChildIndex index;
  VisitFields(
      [&](const FieldInfo& f, const auto& list) {
        if constexpr (kIsList<std::decay_t<decltype(list)>>) {
          if (ListRules<T>::AllowsDuplicates(f.name)) return;
          std::string_view handle = ListRules<T>::Handle(f.name);
          for (size_t i = 0; i < list.size(); ++i) {
            auto [it, inserted] = index.try_emplace({handle, Key(list[i])}, Slot{f.name, i});
            if (!inserted && it->second.field <= f.name) it->second = Slot{f.name, i};
          }
        }
      },
      child);
  return index;
}

template <class Owner, class Item>
void MergeKeyedList(std::string_view field, std::vector<Item>& result,
                    const std::vector<Item>& parent, const std::vector<Item>& child,
                    const ChildIndex& index) {
  std::string_view handle = ListRules<Owner>::Handle(field);
  std::set<std::string> parent_keys;
  for (const Item& item : parent) {
    std::string key = Key(item);
    parent_keys.insert(key);
    auto found = index.find({handle, key});
    if (found == index.end()) {
      result.push_back(item);
      continue;
    }
    // Same key in another list of this key space: the child's item replaces
    // this one and is added with that list.
    if (found->second.field != field) continue;
    const Item& from_child = child[found->second.index];
    if constexpr (std::is_same_v<Item, HttpHeader>) {
      if (!from_child.value) continue;  // a header without value deletes the parent's
    }
    result.push_back(MergeValue(item, from_child));
  }
  for (const Item& item : child)
    if (!parent_keys.contains(Key(item))) result.push_back(item);
}

template <Record T>
T MergeValue(const T& parent, const T& child) {
  T result;
  ChildIndex index = IndexChildLists(child);
  VisitFields(
      [&](const FieldInfo& f, auto& out, const auto& p, const auto& c) {
        using Member = std::decay_t<decltype(out)>;
        if constexpr (!kIsList<Member>) {
          out = MergeValue(p, c);
        } else if (ListRules<T>::AllowsDuplicates(f.name)) {
          out = p;
          out.insert(out.end(), c.begin(), c.end());
        } else {
          MergeKeyedList<T>(f.name, out, p, c, index);
        }
      },
      result, parent, child);
  return result;
}

}  // namespace

Config Merge(const Config& parent, const Config& child) { return MergeValue(parent, child); }

}  // namespace flint::schema
