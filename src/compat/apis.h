// The APIs of other code-execution services, served by both of ours so
// that their clients work against Playground unchanged: Piston v2
// (piston.h), Codapi (codapi.h) and Judge0 CE (judge0.h). Each translates
// its request into the evaluation /py/eval runs, and the result back.
//
//   compat::Apis apis{runner, {.body_limit = cfg.body_bytes}};
//   for (http::Route& r : apis.routes(guard)) routes.push_back(std::move(r));
#pragma once

#include <memory>
#include <vector>

#include "compat/api_options.h"
#include "compat/runner.h"
#include "http/route.h"

namespace playground::compat {

namespace judge0 {
class SubmissionStore;
}

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
