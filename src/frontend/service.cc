// The frontend's wiring (see service.h).
#include "frontend/service.h"

#include "common/task.h"

namespace playground::frontend {
namespace {

GatewayOptions gateway_options(const FrontendConfig& cfg) {
  return {
      .token = cfg.token,
      .ca_file = cfg.ca_file,
      .max_attempts = static_cast<size_t>(cfg.attempts),
      .connect_timeout = std::chrono::milliseconds(cfg.connect_timeout_ms),
      .upstream_timeout = std::chrono::milliseconds(cfg.upstream_timeout_ms),
      .health_interval = std::chrono::milliseconds(cfg.health_interval_ms),
      .health_timeout = std::chrono::milliseconds(cfg.health_timeout_ms),
      .health = {.unhealthy_after = static_cast<int>(cfg.unhealthy_after),
                 .healthy_after = static_cast<int>(cfg.healthy_after)},
  };
}

}  // namespace

Result<std::unique_ptr<Service>> Service::create(const FrontendConfig& cfg,
                                                 std::vector<Executor> loops,
                                                 metrics::Registry& registry) {
  auto gateway = Gateway::create(std::move(loops), cfg.backends,
                                 gateway_options(cfg), registry);
  if (!gateway) return gateway.error();
  Exercises exercises;
  if (!cfg.exercises_dir.empty()) {
    auto loaded = Exercises::load(cfg.exercises_dir);
    if (!loaded) return loaded.error();
    exercises = std::move(*loaded);
  }
  return std::unique_ptr<Service>(
      new Service(cfg, std::move(*gateway), std::move(exercises), registry));
}

Service::Service(const FrontendConfig& cfg, std::unique_ptr<Gateway> gateway,
                 Exercises exercises, metrics::Registry& registry)
    : gateway_(std::move(gateway)),
      exercises_(std::move(exercises)),
      limiter_({.per_second = static_cast<double>(cfg.rate_limit),
                .burst = static_cast<double>(cfg.rate_burst)}),
      share_(static_cast<int>(cfg.runs_per_client),
             static_cast<int>(cfg.waiting_per_client)),
      api_{cfg, *gateway_, limiter_, share_, registry, exercises_} {}

}  // namespace playground::frontend
