// Rendering a fetched config: resolving ignition.config.replace and
// ignition.config.merge references (recursively, as upstream) and checking
// that CA sources are inline. Only data: URLs are resolved so far; any other
// reference needs the fetcher, which is not written yet.
#pragma once

#include "agent/log.h"
#include "schema/model.h"

namespace flint::agent {

// Throws agent::NeedNet when `offline` and a reference needs networking;
// otherwise agent::Failure for references it cannot resolve.
schema::Config RenderConfig(schema::Config config, bool offline, Log& log);

// True for URL schemes that need networking (http, https, tftp, s3, gs, arn).
bool UrlNeedsNet(std::string_view url);

}  // namespace flint::agent
