#include "schema/validate.h"

namespace flint::schema {

// Placeholder until the validation rules land: accepts everything.
void Validate(const Config&, Version, Report&) {}

}  // namespace flint::schema
