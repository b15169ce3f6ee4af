// Rules for kernelArguments (3.3+): an argument may appear once across
// shouldExist and shouldNotExist together (upstream's MergedKeys), so
// asking for it both to exist and not to exist is a duplicate.
#include <set>

#include "schema/validate_internal.h"

namespace flint::schema::validate {

void KernelArgumentDuplicates(const KernelArguments& kargs, const Path& at, const Ctx& ctx) {
  std::set<std::string> seen;
  auto check = [&](const std::vector<std::string>& list, const Path& field) {
    for (size_t i = 0; i < list.size(); ++i)
      if (!seen.insert(list[i]).second)
        ctx.report.Error(field / i, std::string(kErrDuplicate));
  };
  check(kargs.should_exist, at / "shouldExist");
  check(kargs.should_not_exist, at / "shouldNotExist");
}

}  // namespace flint::schema::validate
