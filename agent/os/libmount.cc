#include "agent/os/libmount.h"

#include <libmount/libmount.h>

#include <memory>

#include "agent/error.h"

namespace flint::agent {
namespace {

struct ContextFree {
  void operator()(libmnt_context* c) const { mnt_free_context(c); }
};
struct TableUnref {
  void operator()(libmnt_table* t) const { mnt_unref_table(t); }
};
using Context = std::unique_ptr<libmnt_context, ContextFree>;
using Table = std::unique_ptr<libmnt_table, TableUnref>;

Context NewContext(const std::string& what) {
  Context cxt(mnt_new_context());
  if (!cxt) throw Failure(what).Cause("mnt_new_context failed");
  // Never merge in /etc/fstab: the config says everything.
  mnt_context_set_optsmode(cxt.get(), MNT_OMODE_IGNORE);
  return cxt;
}

// libmount's mount(8)-style message for `rc`.
std::string Explain(libmnt_context* cxt, int rc) {
  char buf[BUFSIZ] = {0};
  mnt_context_get_excode(cxt, rc, buf, sizeof buf);
  std::string msg = buf;
  if (msg.empty()) msg = "libmount error " + std::to_string(rc);
  return msg;
}

}  // namespace

void Mount(const MountRequest& r) {
  std::string what = "mounting '" + r.source + "' at '" + r.target + "'";
  if (!r.fstype.empty()) what += " with type '" + r.fstype + "'";
  if (!r.options.empty()) what += " and options '" + r.options + "'";
  Context cxt = NewContext(what);
  mnt_context_set_source(cxt.get(), r.source.c_str());
  mnt_context_set_target(cxt.get(), r.target.c_str());
  if (!r.fstype.empty()) mnt_context_set_fstype(cxt.get(), r.fstype.c_str());
  if (!r.options.empty()) mnt_context_set_options(cxt.get(), r.options.c_str());
  int rc = mnt_context_mount(cxt.get());
  if (rc != 0 || mnt_context_get_status(cxt.get()) != 1) throw Failure(what).Cause(Explain(cxt.get(), rc));
}

void Unmount(const std::string& target) {
  std::string what = "unmounting '" + target + "'";
  Context cxt = NewContext(what);
  mnt_context_set_target(cxt.get(), target.c_str());
  int rc = mnt_context_umount(cxt.get());
  if (rc != 0 || mnt_context_get_status(cxt.get()) != 1) throw Failure(what).Cause(Explain(cxt.get(), rc));
}

bool IsMountPoint(const std::string& target) {
  Table table(mnt_new_table_from_file("/proc/self/mountinfo"));
  if (!table) throw Failure("reading '/proc/self/mountinfo'").Cause("libmount could not parse it");
  return mnt_table_find_target(table.get(), target.c_str(), MNT_ITER_BACKWARD) != nullptr;
}

}  // namespace flint::agent
