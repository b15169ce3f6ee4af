// The config model: spec 3.7.0-experimental, the newest version. Every older
// version parses into this one model; fields.h says which version each field
// first appears in. Optional scalars are std::optional (Go pointers upstream);
// plain members are Go's non-pointer fields, whose zero value means "unset"
// when merging.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flint::schema {

using OptString = std::optional<std::string>;
using OptInt = std::optional<int64_t>;
using OptBool = std::optional<bool>;

struct Verification {
  OptString hash;  // "sha512-<hex>" or (3.1+) "sha256-<hex>"
  bool operator==(const Verification&) const = default;
};

struct HttpHeader {
  std::string name;
  OptString value;  // null in a child config deletes the parent's header
  bool operator==(const HttpHeader&) const = default;
};

// A remote or inline source of bytes: configs, CAs, file contents, key files.
struct Resource {
  OptString source;
  OptString compression;  // "gzip" or empty
  std::vector<HttpHeader> http_headers;
  Verification verification;
  bool operator==(const Resource&) const = default;
};

struct IgnitionConfig {
  std::vector<Resource> merge;
  Resource replace;
  bool operator==(const IgnitionConfig&) const = default;
};

struct Timeouts {
  OptInt http_response_headers;  // seconds
  OptInt http_total;             // seconds
  bool operator==(const Timeouts&) const = default;
};

struct Tls {
  std::vector<Resource> certificate_authorities;
  bool operator==(const Tls&) const = default;
};

struct Security {
  Tls tls;
  bool operator==(const Security&) const = default;
};

struct Proxy {
  OptString http_proxy;
  OptString https_proxy;
  std::vector<std::string> no_proxy;
  bool operator==(const Proxy&) const = default;
};

struct Ignition {
  std::string version;
  IgnitionConfig config;
  Proxy proxy;
  Security security;
  Timeouts timeouts;
  bool operator==(const Ignition&) const = default;
};

struct KernelArguments {
  std::vector<std::string> should_exist;
  std::vector<std::string> should_not_exist;
  bool operator==(const KernelArguments&) const = default;
};

struct PasswdUser {
  std::string name;
  OptString password_hash;
  std::vector<std::string> ssh_authorized_keys;
  OptInt uid;
  OptString gecos;
  OptString home_dir;
  OptBool no_create_home;
  OptString primary_group;
  std::vector<std::string> groups;
  OptBool no_user_group;
  OptBool no_log_init;
  OptString shell;
  OptBool system;
  OptBool should_exist;
  bool operator==(const PasswdUser&) const = default;
};

struct PasswdGroup {
  std::string name;
  OptInt gid;
  OptString password_hash;
  OptBool system;
  OptBool should_exist;
  bool operator==(const PasswdGroup&) const = default;
};

struct Passwd {
  std::vector<PasswdUser> users;
  std::vector<PasswdGroup> groups;
  bool operator==(const Passwd&) const = default;
};

struct Partition {
  OptString label;
  int64_t number = 0;  // 0: the next free number
  OptInt size_mib;
  OptInt start_mib;
  OptString type_guid;
  OptString guid;
  OptBool wipe_partition_entry;
  OptBool should_exist;
  OptBool resize;
  bool operator==(const Partition&) const = default;
};

struct Disk {
  std::string device;
  OptBool wipe_table;
  std::vector<Partition> partitions;
  bool operator==(const Disk&) const = default;
};

struct Raid {
  std::string name;
  OptString level;
  std::vector<std::string> devices;
  OptInt spares;
  std::vector<std::string> options;
  bool operator==(const Raid&) const = default;
};

struct Filesystem {
  std::string device;
  OptString format;
  OptBool wipe_filesystem;
  OptString label;
  OptString uuid;
  std::vector<std::string> options;
  OptString path;
  std::vector<std::string> mount_options;
  bool operator==(const Filesystem&) const = default;
};

struct NodeOwner {
  OptInt id;
  OptString name;
  bool operator==(const NodeOwner&) const = default;
};

// The fields files, directories and links share.
struct Node {
  std::string path;
  OptBool overwrite;
  NodeOwner user;
  NodeOwner group;
  bool operator==(const Node&) const = default;
};

struct File : Node {
  Resource contents;
  std::vector<Resource> append;
  OptInt mode;
  bool operator==(const File&) const = default;
};

struct Directory : Node {
  OptInt mode;
  bool operator==(const Directory&) const = default;
};

struct Link : Node {
  OptString target;
  OptBool hard;
  bool operator==(const Link&) const = default;
};

struct Tang {
  std::string url;
  OptString thumbprint;
  OptString advertisement;
  bool operator==(const Tang&) const = default;
};

struct ClevisCustom {
  OptString pin;
  OptString config;
  OptBool needs_network;
  bool operator==(const ClevisCustom&) const = default;
};

struct Clevis {
  ClevisCustom custom;
  std::vector<Tang> tang;
  OptInt threshold;
  OptBool tpm2;
  bool operator==(const Clevis&) const = default;
};

// Whether the volume is bound with Clevis at all: a custom pin, a tang
// server, tpm2 or a non-zero threshold (upstream's Clevis.IsPresent).
inline bool ClevisPresent(const Clevis& c) {
  return (c.custom.pin && !c.custom.pin->empty()) || !c.tang.empty() || c.tpm2.value_or(false) ||
         (c.threshold && *c.threshold != 0);
}

struct Cex {
  OptBool enabled;
  bool operator==(const Cex&) const = default;
};

struct Luks {
  std::string name;
  OptString device;
  Resource key_file;
  OptString label;
  OptString uuid;
  std::vector<std::string> options;
  OptBool wipe_volume;
  Clevis clevis;
  OptBool discard;
  std::vector<std::string> open_options;
  Cex cex;
  bool operator==(const Luks&) const = default;
};

struct Storage {
  std::vector<Disk> disks;
  std::vector<Raid> raid;
  std::vector<Filesystem> filesystems;
  std::vector<File> files;
  std::vector<Directory> directories;
  std::vector<Link> links;
  std::vector<Luks> luks;
  bool operator==(const Storage&) const = default;
};

struct Dropin {
  std::string name;
  OptString contents;
  bool operator==(const Dropin&) const = default;
};

struct Unit {
  std::string name;
  OptBool enabled;
  OptBool mask;
  OptString contents;
  std::vector<Dropin> dropins;
  bool operator==(const Unit&) const = default;
};

struct Systemd {
  std::vector<Unit> units;
  bool operator==(const Systemd&) const = default;
};

struct Config {
  Ignition ignition;
  KernelArguments kernel_arguments;
  Passwd passwd;
  Storage storage;
  Systemd systemd;
  bool operator==(const Config&) const = default;
};

}  // namespace flint::schema
