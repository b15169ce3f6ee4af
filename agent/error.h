// The one exception type for failures while applying a config: what was
// being done, the config field, the device / path / URL, and the cause.
// Thrown by agent and stage code, caught once at the stage boundary, logged
// once, and turned into exit code 1. (Problems *in* a config are not
// failures: they go into a schema::Report.)
#pragma once

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace flint::agent {

// A structured journal field such as FLINT_FIELD=$.storage.files.0.
struct LogField {
  std::string name;
  std::string value;
  bool operator==(const LogField&) const = default;
};

class Failure : public std::exception {
 public:
  enum class ObjectKind { kNone, kPath, kDevice, kUrl };

  // `operation` names what was being done ("writing the config cache",
  // "fdisk_add_partition"); it may be empty for a self-contained message.
  explicit Failure(std::string operation) : operation_(std::move(operation)) { Rebuild(); }

  // A failure whose whole text is `message`.
  static Failure Message(std::string message) { return Failure("").Cause(std::move(message)); }

  // Builders; each returns *this so they chain.
  Failure& Field(std::string json_path);
  Failure& Path(std::string path);
  Failure& Device(std::string device);
  Failure& Url(std::string url);
  Failure& Cause(std::string cause);
  // Cause from an errno value: strerror(err).
  Failure& Errno(int err);

  // `operation 'object' (at $.field): cause`; parts that are unset are left out.
  const char* what() const noexcept override { return message_.c_str(); }

  const std::string& operation() const { return operation_; }
  const std::string& field() const { return field_; }
  const std::string& object() const { return object_; }
  ObjectKind object_kind() const { return object_kind_; }
  const std::string& cause() const { return cause_; }

  // FLINT_FIELD / FLINT_PATH / FLINT_DEVICE / FLINT_URL for the journal.
  std::vector<LogField> LogFields() const;

 private:
  Failure& SetObject(ObjectKind kind, std::string object);
  void Rebuild();

  std::string operation_;
  std::string field_;
  std::string object_;
  ObjectKind object_kind_ = ObjectKind::kNone;
  std::string cause_;
  std::string message_;
};

// Thrown during fetch-offline when something needs networking, which that
// stage does not have; the engine then writes the neednet flag file and the
// fetch stage (with networking) does the work. Any other stage treats it as
// a failure.
class NeedNet : public std::exception {
 public:
  explicit NeedNet(std::string what) : what_(std::move(what)) {}
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  std::string what_;
};

}  // namespace flint::agent
