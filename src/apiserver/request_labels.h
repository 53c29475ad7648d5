#pragma once

#include <httplib.h>

#include "apiserver/metrics.h"

namespace tug::apiserver {

// How upstream's metrics name a request: the verb (LIST and WATCH for collection reads,
// APPLY for server-side apply, DELETECOLLECTION), and for resource URLs the group, version,
// resource, subresource and scope as the URL gives them (not yet checked against the
// registry). Non-resource paths get only the HTTP method.
RequestLabels requestLabels(const httplib::Request& req);

}  // namespace tug::apiserver
