// Certificate authorities in the config cache are inline: every CA whose
// source is not a plain data URL is fetched, checked to hold PEM
// certificates, and rewritten as `data:;base64,...` without compression or
// headers (upstream's RewriteCAsWithDataUrls), so later stages trust the
// same CAs without the network.
#pragma once

#include "agent/fetch/fetcher.h"
#include "schema/model.h"

namespace flint::agent {

// Rewrites config.ignition.security.tls.certificateAuthorities in place.
// Throws agent::Failure naming the CA's field and URL when it cannot be
// fetched or holds no certificate; offline, a CA that needs networking
// throws agent::NeedNet.
void InlineCertificateAuthorities(schema::Config& config, Fetcher& fetcher, bool offline);

}  // namespace flint::agent
