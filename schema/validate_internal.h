// Shared pieces of the validation rules (validate_*.cc): Go's path helpers,
// the per-section entry points, and the error-text constants of upstream's
// config/shared/errors. Internal to schema/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "schema/model.h"
#include "schema/path.h"
#include "schema/report.h"
#include "schema/version.h"

namespace flint::schema::validate {

using Problem = std::optional<std::string>;

// Where a rule writes and which spec version it follows.
struct Ctx {
  Version version;
  Report& report;

  bool AtLeast(Version v) const { return version >= v; }
  void Error(const Path& at, const Problem& p) const {
    if (p) report.Error(at, *p);
  }
  void Warn(const Path& at, const Problem& p) const {
    if (p) report.Warning(at, *p);
  }
};

// Go's path.Clean, path.IsAbs, path.Join, path.Ext, path.Dir.
std::string CleanPath(std::string_view p);
bool IsAbsPath(std::string_view p);
std::string JoinPath(std::string_view a, std::string_view b);
std::string_view PathExt(std::string_view p);

// Upstream's validatePath: "path not specified", "path not absolute",
// "path is not fully simplified".
Problem CheckPath(std::string_view p);
// validatePathNilOK: unset or empty is fine.
Problem CheckPathNilOk(const OptString& p);
// Upstream's validateURL for the declared version (schemes, S3 version ids,
// ARNs, data URLs).
Problem CheckUrl(std::string_view url, Version version);
// validateURLNilOK.
Problem CheckUrlNilOk(const OptString& url, Version version);

// Go's %q of a string.
std::string GoQuote(std::string_view s);

bool NilOrEmpty(const OptString& s);
bool NotEmpty(const OptString& s);
bool IsTrue(const OptBool& b);
bool IsFalse(const OptBool& b);

// Where a resource sits decides which rules apply to it.
enum class ResourceKind {
  kFile,    // file contents and appended fragments
  kConfig,  // ignition.config.merge / replace
  kCa,      // ignition.security.tls.certificateAuthorities
  kKeyFile  // storage.luks.keyFile
};
void ValidateResource(const Resource& res, const Path& at, ResourceKind kind, const Ctx& ctx);

// Each section in upstream's walk order; each reports its own rules first,
// then its children's.
void ValidateSystemdConflicts(const Config& config, const Ctx& ctx);
void ValidateIgnition(const Ignition& ign, const Path& at, const Ctx& ctx);
void ValidateStorage(const Storage& storage, const Path& at, const Ctx& ctx);
void ValidateDirectory(const Directory& d, const Path& at, const Ctx& ctx);
void ValidateFile(const File& f, const Path& at, const Ctx& ctx);
void ValidateLink(const Link& l, const Path& at, const Ctx& ctx);
void ValidateDisk(const Disk& d, const Path& at, const Ctx& ctx);
void ValidateFilesystem(const Filesystem& f, const Path& at, const Ctx& ctx);
void ValidateRaid(const Raid& r, const Path& at, const Ctx& ctx);
void ValidateLuks(const Luks& l, const Path& at, const Ctx& ctx);
void ValidateSystemd(const Systemd& systemd, const Path& at, const Ctx& ctx);

// The second pass: duplicate keys (upstream's ValidateDups), in walk order.
void ValidateDuplicates(const Config& config, const Ctx& ctx);
void KernelArgumentDuplicates(const KernelArguments& kargs, const Path& at, const Ctx& ctx);

// Message texts shared by several files.
inline constexpr std::string_view kErrDuplicate = "duplicate entry defined";
inline constexpr std::string_view kErrInvalidUrl = "unable to parse url";
inline constexpr std::string_view kErrInvalidScheme = "invalid url scheme";
inline constexpr std::string_view kErrDiskDeviceRequired = "disk device is required";
inline constexpr std::string_view kErrModeSpecialBits =
    "setuid/setgid/sticky bits are not supported or functional in spec versions older than "
    "3.6.0";

}  // namespace flint::schema::validate
