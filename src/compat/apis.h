// The APIs of other code-execution services, served by both of ours so
// that their clients work against Playground unchanged: Piston v2
// (piston.h), Codapi (codapi.h) and Judge0 CE (judge0.h). Each translates
// its request into the evaluation /py/eval runs, and the result back.
//
//   compat::Apis apis{runner, {.body_limit = cfg.body_bytes}};
//   for (http::Route& r : apis.routes(guard)) routes.push_back(std::move(r));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/options.h"
#include "compat/runner.h"
#include "http/route.h"

namespace playground::compat {

struct ApiOptions {
  size_t body_limit = 2 << 20;  // as /py/eval's
  // Codapi's widget runs in other sites' pages: the origins allowed to read
  // the answers (Access-Control-Allow-Origin).
  std::string cors_origin = "*";
};

// --cors-origin (both services).
void add_api_options(Options& o, ApiOptions& options);

class Apis {
 public:
  Apis(Runner runner, ApiOptions options);
  Apis(const Apis&) = delete;
  Apis& operator=(const Apis&) = delete;

  // Every route of the three APIs; `guard` runs first on each that costs a
  // run or says what the service has (the backend's token, the frontend's
  // rate limit).
  std::vector<http::Route> routes(const http::Precheck& guard);

 private:
  Runner runner_;
  ApiOptions options_;
};

}  // namespace playground::compat
