// The APIs of other code-execution services, served by both of ours so
// that their clients work against Playground unchanged: Piston v2
// (piston.h), Codapi (codapi.h) and Judge0 CE (judge0.h). Each translates
// its request into the evaluation /py/eval runs, and the result back.
//
//   compat::Apis apis{runner, {.body_limit = cfg.body_bytes}};
//   for (http::Route& r : apis.routes(guard)) routes.push_back(std::move(r));
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/options.h"
#include "compat/runner.h"
#include "http/route.h"

namespace playground::compat {

namespace judge0 {
class SubmissionStore;
}

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

class Apis {
 public:
  Apis(Runner runner, ApiOptions options);
  ~Apis();
  Apis(const Apis&) = delete;
  Apis& operator=(const Apis&) = delete;

  // Every route of the three APIs; `guard` runs first on each that costs a
  // run or says what the service has (the backend's token, the frontend's
  // rate limit).
  std::vector<http::Route> routes(const http::Precheck& guard);

 private:
  Runner runner_;
  ApiOptions options_;
  // Shared with the runs it waits for, which may outlive a request.
  std::shared_ptr<judge0::SubmissionStore> judge0_store_;
};

}  // namespace playground::compat
