// Error: why something failed, as a value (see result.h).
//
//   return Error{"the form body is malformed", Errc::invalid_request};
//   return Error{"cannot open " + path, errno_code(errno)};
//   if (e.code == sandbox::Step::seccomp) ...   // the step's own category
//
// `code` says what failed in the category of the module that knows it:
// errno (std::generic_category), a request problem (Errc, below), a failed
// sandbox step (sandbox/shared/step.h) or an upstream failure (http/client.h).
// Each module decides on codes, never on HTTP statuses; the one mapping to a
// status is http::status_of (http/message.h), at the edge.
#pragma once

#include <string>
#include <system_error>

namespace playground {

struct Error {
  std::string message;   // a plain sentence, safe to show to a client or a log
  std::error_code code;  // what failed; empty when only the message matters
};

inline std::error_code errno_code(int err) {
  return {err, std::generic_category()};
}

// What a request or an evaluation ran into, as the services answer it.
enum class Errc {
  invalid_request = 1,     // the request is malformed or breaks a rule
  unsupported_media_type,  // a body type the endpoint does not read
  too_large,               // the request does not fit a limit
  at_capacity,             // no sandbox (or queue place) free: retry later
  rate_limited,            // this client asked too much too fast: slow down
  unavailable,             // the sandbox does not work on this server
  client_gone,             // the client left before the answer was ready
  sandbox_failed,          // the sandbox broke (not the program in it)
};

const std::error_category& errc_category();
inline std::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), errc_category()};
}

}  // namespace playground

template <>
struct std::is_error_code_enum<playground::Errc> : std::true_type {};
