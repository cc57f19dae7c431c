// Bearer tokens: the secret frontends and backends share, which also guards
// the operations endpoints (/metrics, the frontend's /api/backends, the
// details of a backend's /readyz).
//
//   if (auto refused = http::require_token(header, config.token)) return
//   *refused;
#pragma once

#include <optional>
#include <string_view>

#include "http/message.h"

namespace playground::http {

// True when `authorization` is "Bearer <token>" (the scheme in any case).
// Takes the same time whatever the first differing byte.
bool bearer_token_matches(std::string_view authorization,
                          std::string_view token);

// A 401 answer unless `token` is empty (none configured) or the request
// carries it.
std::optional<Response> require_token(const RequestHeader& header,
                                      std::string_view token);

// The same for an operations endpoint (/metrics, /api/backends, /readyz's
// details), unless the operator opened them (--ops-access public).
std::optional<Response> require_ops_token(const RequestHeader& header,
                                          std::string_view token,
                                          bool public_ops);

}  // namespace playground::http
