// The settings of the other services' APIs (apis.h), the same for both
// services, apart from the rest so that the configuration parsers (and
// their fuzz target) need none of the APIs themselves.
//
//   compat::add_api_options(options, cfg.apis);
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/options.h"

namespace playground::compat {

struct ApiOptions {
  size_t body_limit = 2 << 20;  // as /py/eval's
  // Codapi's widget runs in other sites' pages: the origins allowed to read
  // the answers (Access-Control-Allow-Origin).
  std::string cors_origin = "*";
  // Judge0's submissions (wait=true ones too), kept for GET
  // /submissions/<token>: at most this many, this long after they finished,
  // this many bytes of program, input and output together.
  int64_t judge0_keep = 1000;
  int64_t judge0_keep_for_ms = 10 * 60 * 1000;
  int64_t judge0_keep_bytes = 64 << 20;
};

// --cors-origin, --judge0-keep, --judge0-keep-for, --judge0-keep-bytes
// (both services).
void add_api_options(Options& o, ApiOptions& options);

}  // namespace playground::compat
