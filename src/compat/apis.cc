// The other services' APIs, together (see apis.h).
#include "compat/apis.h"

#include "compat/codapi.h"
#include "compat/judge0.h"
#include "compat/judge0_store.h"
#include "compat/piston.h"

namespace playground::compat {

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
