// Balancer: strict round-robin over the healthy backends, and each backend's
// health as active checks and real requests report it.
//
//   Balancer balancer(backends.size(), {.unhealthy_after = 3,
//                                       .healthy_after = 2});
//   for (size_t i : balancer.plan(max_attempts)) {
//     balancer.begin(i);
//     ... forward; then on_answer(i, ms), on_busy(i) or on_failure(i, ...)
//     balancer.end(i);
//   }
//
// Pure bookkeeping, no I/O, so every rule is unit-tested. Not thread-safe:
// the frontend runs it on its one I/O thread.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace playground::frontend {

struct HealthPolicy {
  int unhealthy_after = 3;  // consecutive failures that eject a backend
  int healthy_after = 2;    // consecutive passed checks that readmit it
};

struct BackendState {
  bool healthy = true;  // optimistic until the first check says otherwise
  int consecutive_failures = 0;          // of checks
  int consecutive_request_failures = 0;  // a passed check does not clear it
  int consecutive_successes = 0;
  int in_flight = 0;
  uint64_t answered = 0;  // responses relayed to clients
  uint64_t busy = 0;      // 503 answers (skipped, not a failure)
  uint64_t failures = 0;  // failed checks and failed requests
  double latency_ms = 0;  // moving average over answered requests
  std::string last_error;
};

class Balancer {
 public:
  Balancer(size_t backend_count, HealthPolicy policy);

  // The backends one request tries, in order: the healthy ones in strict
  // round-robin order, at most `attempts` of them. When none is healthy it
  // tries every backend in turn (health checks can be wrong; a refusal is
  // certain). Each call advances the round-robin cursor by one backend.
  // (Held in place for a few backends: this runs for every request.)
  using Plan = boost::container::small_vector<size_t, 4>;
  Plan plan(size_t attempts);

  void begin(size_t i) { states_[i].in_flight++; }
  void end(size_t i) { states_[i].in_flight--; }

  // Each returns true when the backend's health changed.
  // An active check of the backend's /readyz. `down`: nothing is listening
  // (connection refused or unresolvable), which ejects the backend at once.
  bool on_check(size_t i, bool passed, std::string_view error,
                bool down = false);
  // A forwarded request failed; `down` as above. Request failures are
  // counted apart from checks, so a backend whose /readyz passes while its
  // evaluations fail is still taken out.
  bool on_failure(size_t i, bool down, std::string_view error);
  // The backend answered 503: it is full, not broken.
  void on_busy(size_t i) { states_[i].busy++; }
  // The backend answered; `latency_ms` feeds the moving average.
  void on_answer(size_t i, double latency_ms);

  const BackendState& state(size_t i) const { return states_[i]; }
  size_t size() const { return states_.size(); }
  size_t healthy_count() const;

 private:
  bool fail(size_t i, int& counter, bool eject_now, std::string_view error);

  HealthPolicy policy_;
  std::vector<BackendState> states_;
  size_t cursor_ = 0;
};

}  // namespace playground::frontend
