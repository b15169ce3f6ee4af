#include "schema/path.h"

namespace flint::schema {

Path Path::operator/(std::string_view key) const {
  Path p = *this;
  p.elements_.emplace_back(std::string(key));
  return p;
}

Path Path::operator/(size_t index) const {
  Path p = *this;
  p.elements_.emplace_back(index);
  return p;
}

Path& Path::operator/=(std::string_view key) {
  elements_.emplace_back(std::string(key));
  return *this;
}

Path& Path::operator/=(size_t index) {
  elements_.emplace_back(index);
  return *this;
}

Path Path::Parent() const {
  Path p = *this;
  if (!p.elements_.empty()) p.elements_.pop_back();
  return p;
}

std::string Path::String() const {
  std::string out = "$";
  for (const Element& e : elements_) {
    out += '.';
    if (const auto* key = std::get_if<std::string>(&e))
      out += *key;
    else
      out += std::to_string(std::get<size_t>(e));
  }
  return out;
}

}  // namespace flint::schema
