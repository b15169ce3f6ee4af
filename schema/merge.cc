#include "schema/merge.h"

#include <stdexcept>

namespace flint::schema {

Config Merge(const Config&, const Config&) {
  throw std::logic_error("schema::Merge is not implemented");
}

}  // namespace flint::schema
