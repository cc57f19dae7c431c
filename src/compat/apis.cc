// The other services' APIs, together (see apis.h).
#include "compat/apis.h"

#include "compat/codapi.h"
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
}

Apis::Apis(Runner runner, ApiOptions options)
    : runner_(std::move(runner)), options_(std::move(options)) {}

std::vector<http::Route> Apis::routes(const http::Precheck& guard) {
  std::vector<http::Route> out =
      piston::routes(runner_, options_.body_limit, guard);
  for (http::Route& r : codapi::routes(runner_, options_, guard)) {
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace playground::compat
