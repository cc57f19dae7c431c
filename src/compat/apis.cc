// The other services' APIs, together (see apis.h).
#include "compat/apis.h"

#include "compat/codapi.h"
#include "compat/judge0.h"
#include "compat/judge0_store.h"
#include "compat/piston.h"

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

Apis::Apis(Runner runner, ApiOptions options)
    : runner_(std::move(runner)),
      options_(std::move(options)),
      judge0_store_(std::make_shared<judge0::SubmissionStore>(
          judge0::SubmissionStore::Bounds{
              .count = static_cast<size_t>(options_.judge0_keep),
              .keep_for =
                  std::chrono::milliseconds(options_.judge0_keep_for_ms),
              .bytes = static_cast<size_t>(options_.judge0_keep_bytes)})) {}

Apis::~Apis() = default;

std::vector<http::Route> Apis::routes(const http::Precheck& guard) {
  std::vector<http::Route> out =
      piston::routes(runner_, options_.body_limit, guard);
  for (http::Route& r : codapi::routes(runner_, options_, guard)) {
    out.push_back(std::move(r));
  }
  for (http::Route& r :
       judge0::routes(runner_, options_.body_limit, judge0_store_, guard)) {
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace playground::compat
