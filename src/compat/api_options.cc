// Flags and environment of the other services' APIs (see api_options.h).
#include "compat/api_options.h"

namespace playground::compat {

void add_api_options(Options& o, ApiOptions& options) {
  o.add_checked(
      "cors-origin", "PLAYGROUND_CORS_ORIGIN", &options.cors_origin,
      [](std::string_view v) {
        return v.empty() || v.find_first_of(" ,\r\n") != std::string_view::npos
                   ? "must be * or one origin, e.g. https://docs.example.com"
                   : "";
      },
      "Origin allowed to read Codapi's /v1/ answers from a page\n"
      "(Access-Control-Allow-Origin): * or one origin.");
  o.add_int("judge0-keep", "PLAYGROUND_JUDGE0_KEEP", &options.judge0_keep, 1,
            1'000'000,
            "Judge0 submissions kept for GET /submissions/<token>; when\n"
            "all are still running, POST /submissions answers 503.");
  o.add_millis("judge0-keep-for", "PLAYGROUND_JUDGE0_KEEP_FOR",
               &options.judge0_keep_for_ms, 1000, 7LL * 24 * 3600 * 1000,
               "How long a finished Judge0 submission is kept.");
  o.add_bytes("judge0-keep-bytes", "PLAYGROUND_JUDGE0_KEEP_BYTES",
              &options.judge0_keep_bytes, 1 << 20, 64LL << 30,
              "Program, input and output of the kept Judge0 submissions,\n"
              "together; the oldest finished go first.");
}

}  // namespace playground::compat
