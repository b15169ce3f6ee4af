// The field table: for every struct of the model, its JSON field names, the
// spec version each first appears in, and a few per-field flags. Parsing,
// serialising, merging and JSON Schema generation all walk this one table, so
// a field is declared exactly once.
//
// VisitFields(v, a, b, ...) calls v(field_info, a.member, b.member, ...) for
// every field of the same-typed objects a, b, ...; visitors overload
// operator() on the member type.
#pragma once

#include <concepts>
#include <string_view>
#include <type_traits>

#include "schema/model.h"
#include "schema/version.h"

namespace flint::schema {

struct FieldInfo {
  std::string_view name;
  Version since = Version::k3_0;
  // Go's non-pointer fields without omitempty: always serialised.
  bool always_emit = false;
  // Only for Resource.compression: in 3.0 compression existed for file
  // contents only, not for config or CA references.
  bool compression_in_3_0 = false;
};

template <class T, class U>
concept ModelType = std::same_as<std::remove_const_t<U>, T>;

#define FLINT_VISIT(Type)                                     \
  template <class V, class... S>                              \
    requires(ModelType<Type, S> && ...)                       \
  void VisitFields(V&& v, S&... s)

using enum Version;

FLINT_VISIT(Verification) { v(FieldInfo{"hash"}, s.hash...); }

FLINT_VISIT(HttpHeader) {
  v(FieldInfo{"name", k3_1, true}, s.name...);
  v(FieldInfo{"value", k3_1}, s.value...);
}

FLINT_VISIT(Resource) {
  v(FieldInfo{"source"}, s.source...);
  v(FieldInfo{"compression", k3_1}, s.compression...);
  v(FieldInfo{"httpHeaders", k3_1}, s.http_headers...);
  v(FieldInfo{"verification"}, s.verification...);
}

FLINT_VISIT(IgnitionConfig) {
  v(FieldInfo{"merge"}, s.merge...);
  v(FieldInfo{"replace"}, s.replace...);
}

FLINT_VISIT(Timeouts) {
  v(FieldInfo{"httpResponseHeaders"}, s.http_response_headers...);
  v(FieldInfo{"httpTotal"}, s.http_total...);
}

FLINT_VISIT(Tls) { v(FieldInfo{"certificateAuthorities"}, s.certificate_authorities...); }

FLINT_VISIT(Security) { v(FieldInfo{"tls"}, s.tls...); }

FLINT_VISIT(Proxy) {
  v(FieldInfo{"httpProxy", k3_1}, s.http_proxy...);
  v(FieldInfo{"httpsProxy", k3_1}, s.https_proxy...);
  v(FieldInfo{"noProxy", k3_1}, s.no_proxy...);
}

FLINT_VISIT(Ignition) {
  v(FieldInfo{"version", k3_0, true}, s.version...);
  v(FieldInfo{"config"}, s.config...);
  v(FieldInfo{"proxy", k3_1}, s.proxy...);
  v(FieldInfo{"security"}, s.security...);
  v(FieldInfo{"timeouts"}, s.timeouts...);
}

FLINT_VISIT(KernelArguments) {
  v(FieldInfo{"shouldExist", k3_3}, s.should_exist...);
  v(FieldInfo{"shouldNotExist", k3_3}, s.should_not_exist...);
}

FLINT_VISIT(PasswdUser) {
  v(FieldInfo{"name", k3_0, true}, s.name...);
  v(FieldInfo{"passwordHash"}, s.password_hash...);
  v(FieldInfo{"sshAuthorizedKeys"}, s.ssh_authorized_keys...);
  v(FieldInfo{"uid"}, s.uid...);
  v(FieldInfo{"gecos"}, s.gecos...);
  v(FieldInfo{"homeDir"}, s.home_dir...);
  v(FieldInfo{"noCreateHome"}, s.no_create_home...);
  v(FieldInfo{"primaryGroup"}, s.primary_group...);
  v(FieldInfo{"groups"}, s.groups...);
  v(FieldInfo{"noUserGroup"}, s.no_user_group...);
  v(FieldInfo{"noLogInit"}, s.no_log_init...);
  v(FieldInfo{"shell"}, s.shell...);
  v(FieldInfo{"system"}, s.system...);
  v(FieldInfo{"shouldExist", k3_2}, s.should_exist...);
}

FLINT_VISIT(PasswdGroup) {
  v(FieldInfo{"name", k3_0, true}, s.name...);
  v(FieldInfo{"gid"}, s.gid...);
  v(FieldInfo{"passwordHash"}, s.password_hash...);
  v(FieldInfo{"system"}, s.system...);
  v(FieldInfo{"shouldExist", k3_2}, s.should_exist...);
}

FLINT_VISIT(Passwd) {
  v(FieldInfo{"users"}, s.users...);
  v(FieldInfo{"groups"}, s.groups...);
}

FLINT_VISIT(Partition) {
  v(FieldInfo{"label"}, s.label...);
  v(FieldInfo{"number"}, s.number...);
  v(FieldInfo{"sizeMiB"}, s.size_mib...);
  v(FieldInfo{"startMiB"}, s.start_mib...);
  v(FieldInfo{"typeGuid"}, s.type_guid...);
  v(FieldInfo{"guid"}, s.guid...);
  v(FieldInfo{"wipePartitionEntry"}, s.wipe_partition_entry...);
  v(FieldInfo{"shouldExist"}, s.should_exist...);
  v(FieldInfo{"resize", k3_2}, s.resize...);
}

FLINT_VISIT(Disk) {
  v(FieldInfo{"device", k3_0, true}, s.device...);
  v(FieldInfo{"wipeTable"}, s.wipe_table...);
  v(FieldInfo{"partitions"}, s.partitions...);
}

FLINT_VISIT(Raid) {
  v(FieldInfo{"name", k3_0, true}, s.name...);
  v(FieldInfo{"level"}, s.level...);
  v(FieldInfo{"devices"}, s.devices...);
  v(FieldInfo{"spares"}, s.spares...);
  v(FieldInfo{"options"}, s.options...);
}

FLINT_VISIT(Filesystem) {
  v(FieldInfo{"device", k3_0, true}, s.device...);
  v(FieldInfo{"format"}, s.format...);
  v(FieldInfo{"wipeFilesystem"}, s.wipe_filesystem...);
  v(FieldInfo{"label"}, s.label...);
  v(FieldInfo{"uuid"}, s.uuid...);
  v(FieldInfo{"options"}, s.options...);
  v(FieldInfo{"path"}, s.path...);
  v(FieldInfo{"mountOptions", k3_1}, s.mount_options...);
}

FLINT_VISIT(NodeOwner) {
  v(FieldInfo{"id"}, s.id...);
  v(FieldInfo{"name"}, s.name...);
}

#define FLINT_NODE_FIELDS                           \
  v(FieldInfo{"path", k3_0, true}, s.path...);      \
  v(FieldInfo{"overwrite"}, s.overwrite...);        \
  v(FieldInfo{"user"}, s.user...);                  \
  v(FieldInfo{"group"}, s.group...)

FLINT_VISIT(File) {
  FLINT_NODE_FIELDS;
  v(FieldInfo{"contents", k3_0, false, true}, s.contents...);
  v(FieldInfo{"append", k3_0, false, true}, s.append...);
  v(FieldInfo{"mode"}, s.mode...);
}

FLINT_VISIT(Directory) {
  FLINT_NODE_FIELDS;
  v(FieldInfo{"mode"}, s.mode...);
}

FLINT_VISIT(Link) {
  FLINT_NODE_FIELDS;
  v(FieldInfo{"target"}, s.target...);
  v(FieldInfo{"hard"}, s.hard...);
}

#undef FLINT_NODE_FIELDS

FLINT_VISIT(Tang) {
  v(FieldInfo{"url", k3_2}, s.url...);
  v(FieldInfo{"thumbprint", k3_2}, s.thumbprint...);
  v(FieldInfo{"advertisement", k3_4}, s.advertisement...);
}

FLINT_VISIT(ClevisCustom) {
  v(FieldInfo{"pin", k3_2}, s.pin...);
  v(FieldInfo{"config", k3_2}, s.config...);
  v(FieldInfo{"needsNetwork", k3_2}, s.needs_network...);
}

FLINT_VISIT(Clevis) {
  v(FieldInfo{"custom", k3_2}, s.custom...);
  v(FieldInfo{"tang", k3_2}, s.tang...);
  v(FieldInfo{"threshold", k3_2}, s.threshold...);
  v(FieldInfo{"tpm2", k3_2}, s.tpm2...);
}

FLINT_VISIT(Cex) { v(FieldInfo{"enabled", k3_5}, s.enabled...); }

FLINT_VISIT(Luks) {
  v(FieldInfo{"name", k3_2, true}, s.name...);
  v(FieldInfo{"device", k3_2}, s.device...);
  v(FieldInfo{"keyFile", k3_2}, s.key_file...);
  v(FieldInfo{"label", k3_2}, s.label...);
  v(FieldInfo{"uuid", k3_2}, s.uuid...);
  v(FieldInfo{"options", k3_2}, s.options...);
  v(FieldInfo{"wipeVolume", k3_2}, s.wipe_volume...);
  v(FieldInfo{"clevis", k3_2}, s.clevis...);
  v(FieldInfo{"discard", k3_4}, s.discard...);
  v(FieldInfo{"openOptions", k3_4}, s.open_options...);
  v(FieldInfo{"cex", k3_5}, s.cex...);
}

FLINT_VISIT(Storage) {
  v(FieldInfo{"disks"}, s.disks...);
  v(FieldInfo{"raid"}, s.raid...);
  v(FieldInfo{"filesystems"}, s.filesystems...);
  v(FieldInfo{"files"}, s.files...);
  v(FieldInfo{"directories"}, s.directories...);
  v(FieldInfo{"links"}, s.links...);
  v(FieldInfo{"luks", k3_2}, s.luks...);
}

FLINT_VISIT(Dropin) {
  v(FieldInfo{"name", k3_0, true}, s.name...);
  v(FieldInfo{"contents"}, s.contents...);
}

FLINT_VISIT(Unit) {
  v(FieldInfo{"name", k3_0, true}, s.name...);
  v(FieldInfo{"enabled"}, s.enabled...);
  v(FieldInfo{"mask"}, s.mask...);
  v(FieldInfo{"contents"}, s.contents...);
  v(FieldInfo{"dropins"}, s.dropins...);
}

FLINT_VISIT(Systemd) { v(FieldInfo{"units"}, s.units...); }

FLINT_VISIT(Config) {
  v(FieldInfo{"ignition", k3_0, true}, s.ignition...);
  v(FieldInfo{"kernelArguments", k3_3}, s.kernel_arguments...);
  v(FieldInfo{"passwd"}, s.passwd...);
  v(FieldInfo{"storage"}, s.storage...);
  v(FieldInfo{"systemd"}, s.systemd...);
}

#undef FLINT_VISIT

// True for the model's structs (the types VisitFields accepts).
template <class T>
concept Record = requires(T& t) { VisitFields([](const FieldInfo&, auto&) {}, t); };

}  // namespace flint::schema
