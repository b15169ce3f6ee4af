#include "agent/error.h"

#include <cstring>

namespace flint::agent {

Failure& Failure::Field(std::string json_path) {
  field_ = std::move(json_path);
  Rebuild();
  return *this;
}

Failure& Failure::Path(std::string path) { return SetObject(ObjectKind::kPath, std::move(path)); }
Failure& Failure::Device(std::string device) {
  return SetObject(ObjectKind::kDevice, std::move(device));
}
Failure& Failure::Url(std::string url) { return SetObject(ObjectKind::kUrl, std::move(url)); }

Failure& Failure::Cause(std::string cause) {
  cause_ = std::move(cause);
  Rebuild();
  return *this;
}

Failure& Failure::Errno(int err) { return Cause(std::strerror(err)); }

Failure& Failure::SetObject(ObjectKind kind, std::string object) {
  object_kind_ = kind;
  object_ = std::move(object);
  Rebuild();
  return *this;
}

void Failure::Rebuild() {
  std::string m = operation_;
  auto append = [&m](const std::string& part) {
    if (!m.empty()) m += ' ';
    m += part;
  };
  if (!object_.empty()) append("'" + object_ + "'");
  if (!field_.empty()) append("(at " + field_ + ")");
  if (!cause_.empty()) m += m.empty() ? cause_ : ": " + cause_;
  message_ = std::move(m);
}

std::vector<LogField> Failure::LogFields() const {
  std::vector<LogField> fields;
  if (!field_.empty()) fields.push_back({"FLINT_FIELD", field_});
  switch (object_kind_) {
    case ObjectKind::kPath:
      fields.push_back({"FLINT_PATH", object_});
      break;
    case ObjectKind::kDevice:
      fields.push_back({"FLINT_DEVICE", object_});
      break;
    case ObjectKind::kUrl:
      fields.push_back({"FLINT_URL", object_});
      break;
    case ObjectKind::kNone:
      break;
  }
  return fields;
}

}  // namespace flint::agent
