#include "schema/validate.h"

#include "schema/validate_internal.h"

namespace flint::schema {

// Upstream walks the config twice (config/validate.ValidateWithContext):
// first every type's own rules, parents before children and fields in the
// order of the Go structs (alphabetical), then the duplicate-key check in the
// same order. Unused keys come last; the decoder reports those.
void Validate(const Config& config, Version version, Report& report) {
  const validate::Ctx ctx{version, report};
  const Path root;
  validate::ValidateSystemdConflicts(config, ctx);
  validate::ValidateIgnition(config.ignition, root / "ignition", ctx);
  // kernelArguments and passwd have no rules of their own beyond duplicates.
  validate::ValidateStorage(config.storage, root / "storage", ctx);
  validate::ValidateSystemd(config.systemd, root / "systemd", ctx);
  validate::ValidateDuplicates(config, ctx);
}

}  // namespace flint::schema
