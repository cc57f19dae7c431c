// Health check mode: `playground-backend --health-check` (and the frontend's)
// asks the service that the same flags and environment describe for
// GET /healthz and turns the answer into an exit status, so a container's
// HEALTHCHECK needs no curl or shell in the image.
//
//   if (*parsed == ParseOutcome::health_check)
//     return http::run_health_check(cfg.listener, "playground-backend");
#pragma once

#include <string>

#include "http/listener_config.h"

namespace playground::http {

// 0 when the service answers 200 within 2 s, 1 otherwise (with one line on
// stderr saying why). A wildcard --bind (0.0.0.0, ::) is reached on loopback.
int run_health_check(const ListenerConfig& listener,
                     const std::string& program);

}  // namespace playground::http
