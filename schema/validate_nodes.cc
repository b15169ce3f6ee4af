// Rules for files, directories and links: absolute clean paths, modes,
// owners given by id or name, overwrite without contents.
// Upstream: config/v3_*/types/{node,file,directory,link,mode}.go.
#include "schema/validate_internal.h"

namespace flint::schema::validate {
namespace {

Problem CheckMode(const OptInt& mode) {
  if (mode && (*mode < 0 || *mode > 07777)) return "illegal file mode";
  return std::nullopt;
}

// Before 3.6 the setuid, setgid and sticky bits did not work.
Problem CheckSpecialBits(const OptInt& mode, const Ctx& ctx) {
  if (ctx.AtLeast(Version::k3_6) || !mode || (*mode & 07000) == 0) return std::nullopt;
  return std::string(kErrModeSpecialBits);
}

Problem CheckOwner(const NodeOwner& o) {
  if (o.id && NotEmpty(o.name)) return "cannot set both id and name";
  return std::nullopt;
}

// The node's own rule (its path), then its owner fields, as upstream walks
// group before user.
void NodePath(const Node& n, const Path& at, const Ctx& ctx) {
  ctx.Error(at / "path", CheckPath(n.path));
}

void NodeOwners(const Node& n, const Path& at, const Ctx& ctx) {
  ctx.Error(at / "group", CheckOwner(n.group));
  ctx.Error(at / "user", CheckOwner(n.user));
}

}  // namespace

void ValidateDirectory(const Directory& d, const Path& at, const Ctx& ctx) {
  NodePath(d, at, ctx);
  ctx.Error(at / "mode", CheckMode(d.mode));
  ctx.Warn(at / "mode", CheckSpecialBits(d.mode, ctx));
  NodeOwners(d, at, ctx);
}

void ValidateFile(const File& f, const Path& at, const Ctx& ctx) {
  NodePath(f, at, ctx);
  ctx.Error(at / "mode", CheckMode(f.mode));
  ctx.Warn(at / "mode", CheckSpecialBits(f.mode, ctx));
  if (IsTrue(f.overwrite) && !f.contents.source)
    ctx.report.Error(at / "overwrite", "overwrite must be false if source is unspecified");
  NodeOwners(f, at, ctx);
  for (size_t i = 0; i < f.append.size(); ++i)
    ValidateResource(f.append[i], at / "append" / i, ResourceKind::kFile, ctx);
  ValidateResource(f.contents, at / "contents", ResourceKind::kFile, ctx);
}

void ValidateLink(const Link& l, const Path& at, const Ctx& ctx) {
  NodePath(l, at, ctx);
  NodeOwners(l, at, ctx);
}

}  // namespace flint::schema::validate
