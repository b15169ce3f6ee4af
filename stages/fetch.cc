#include <type_traits>

#include "agent/error.h"
#include "agent/render.h"
#include "schema/fields.h"
#include "stages/stage.h"

namespace flint::stages {
namespace {

// Walks the model through the field table.
struct NeedsNetVisitor {
  bool found = false;

  void operator()(const schema::FieldInfo&, const schema::Resource& r) {
    if (r.source && agent::UrlNeedsNet(*r.source)) found = true;
    Visit(r);
  }
  // A tang server is asked for its keys unless the config carries its
  // advertisement; a custom clevis pin says whether it needs the network.
  void operator()(const schema::FieldInfo&, const schema::Tang& t) {
    if (!t.advertisement || t.advertisement->empty()) found = true;
  }
  void operator()(const schema::FieldInfo&, const schema::ClevisCustom& c) {
    if (c.needs_network.value_or(false)) found = true;
  }
  template <class T>
  void operator()(const schema::FieldInfo& f, const std::vector<T>& items) {
    for (const T& item : items) (*this)(f, item);
  }
  template <class T>
  void operator()(const schema::FieldInfo&, const T& value) {
    if constexpr (schema::Record<T>) Visit(value);
  }

  template <class T>
  void Visit(const T& record) {
    schema::VisitFields(*this, record);
  }
};

}  // namespace

bool ConfigNeedsNet(const schema::Config& config) {
  NeedsNetVisitor v;
  v.Visit(config);
  return v.found;
}

void RunFetchOffline(agent::StageContext& ctx) {
  if (ConfigNeedsNet(ctx.config)) throw agent::NeedNet("the config refers to remote resources");
  ctx.log.Info("the config needs no networking");
}

void RunFetch(agent::StageContext& ctx) { ctx.log.Info("fetch complete"); }

}  // namespace flint::stages
