#include "schema/json_schema.h"

#include <stdexcept>

namespace flint::schema {

std::string JsonSchema(Version) { throw std::logic_error("schema::JsonSchema is not implemented"); }

}  // namespace flint::schema
