// Service: what answers the frontend's API. The gateway to the backends
// (with its health checks), the rate limiter and each client's share of
// runs, built from the configuration.
//
//   auto service = frontend::Service::create(cfg, {io.get_executor()},
//                                            registry);
//   if (!service) die(service.error().message);
//   http::Server server(io, options, (*service)->routes(), registry);
//   (*service)->start_health_checks();
#pragma once

#include <memory>
#include <vector>

#include "common/metrics.h"
#include "common/result.h"
#include "common/task.h"
#include "frontend/api.h"
#include "frontend/client_share.h"
#include "frontend/config.h"
#include "frontend/exercises.h"
#include "frontend/gateway.h"
#include "frontend/rate_limiter.h"
#include "http/route.h"

namespace playground::frontend {

class Service {
 public:
  // Fails when the gateway cannot load the CA certificates or an exercise
  // file is broken. `loops`: the executor of each event loop the routes'
  // handlers will run on (what they share is thread-safe).
  static Result<std::unique_ptr<Service>> create(const FrontendConfig& cfg,
                                                 std::vector<Executor> loops,
                                                 metrics::Registry& registry);
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  std::vector<http::Route> routes() { return make_routes(api_); }
  void start_health_checks() { gateway_->start_health_checks(); }
  // Ends the health checks (within one health timeout).
  void stop() { gateway_->stop(); }

 private:
  Service(const FrontendConfig& cfg, std::unique_ptr<Gateway> gateway,
          Exercises exercises, metrics::Registry& registry);

  std::unique_ptr<Gateway> gateway_;
  Exercises exercises_;
  RateLimiter limiter_;
  ClientShare share_;
  FrontendApi api_;
};

}  // namespace playground::frontend
