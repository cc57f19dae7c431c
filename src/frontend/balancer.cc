// Round-robin and health bookkeeping (see balancer.h).
#include "frontend/balancer.h"

#include <algorithm>

namespace playground::frontend {
namespace {

// Weight of the newest sample in the latency moving average.
constexpr double kLatencyWeight = 0.2;
constexpr size_t kMaxErrorLength = 200;

}  // namespace

Balancer::Balancer(size_t backend_count, HealthPolicy policy)
    : policy_(policy), states_(backend_count) {}

Balancer::Plan Balancer::plan(size_t attempts) {
  const size_t n = states_.size();
  const bool any_healthy = healthy_count() > 0;
  Plan order;
  order.reserve(std::min(n, attempts));  // one allocation at most
  for (size_t step = 0; step < n && order.size() < attempts; ++step) {
    const size_t i = (cursor_ + step) % n;
    if (!any_healthy || states_[i].healthy) order.push_back(i);
  }
  // The next request starts after the backend this one tries first.
  if (!order.empty()) cursor_ = (order.front() + 1) % n;
  return order;
}

bool Balancer::on_check(size_t i, bool passed, std::string_view error,
                        bool down) {
  BackendState& s = states_[i];
  if (!passed) return fail(i, s.consecutive_failures, down, error);
  s.consecutive_failures = 0;
  s.consecutive_successes++;
  if (!s.healthy && s.consecutive_successes >= policy_.healthy_after) {
    s.healthy = true;
    s.consecutive_request_failures = 0;  // a fresh chance
    return true;
  }
  return false;
}

bool Balancer::on_failure(size_t i, bool down, std::string_view error) {
  return fail(i, states_[i].consecutive_request_failures, down, error);
}

bool Balancer::fail(size_t i, int& counter, bool eject_now,
                    std::string_view error) {
  BackendState& s = states_[i];
  s.failures++;
  s.consecutive_successes = 0;
  counter++;
  s.last_error = std::string(error.substr(0, kMaxErrorLength));
  if (s.healthy && (eject_now || counter >= policy_.unhealthy_after)) {
    s.healthy = false;
    return true;
  }
  return false;
}

void Balancer::on_answer(size_t i, double latency_ms) {
  BackendState& s = states_[i];
  s.answered++;
  s.latency_ms = s.answered == 1 ? latency_ms
                                 : s.latency_ms * (1 - kLatencyWeight) +
                                       latency_ms * kLatencyWeight;
  // An answer proves the backend works, but only the active checks readmit
  // an ejected one (an answer in panic mode is one sample, not a trend).
  s.consecutive_request_failures = 0;
}

size_t Balancer::healthy_count() const {
  return static_cast<size_t>(
      std::count_if(states_.begin(), states_.end(),
                    [](const BackendState& s) { return s.healthy; }));
}

}  // namespace playground::frontend
