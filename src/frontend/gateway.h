// Gateway: forwards evaluations to the backends, round-robin over the healthy
// ones, moving on when one cannot answer, and checks their health.
//
//   auto gateway = Gateway::create({io.get_executor()}, backends, options,
//                                  registry);
//   (*gateway)->start_health_checks();
//   Forwarded f = co_await (*gateway)->forward(
//       kEvalTarget, R"({"code":"print(1)"})", client_address);
//   // f.response: the backend's status and body, X-Playground-Backend set
//
// Evaluation has no effect outside its sandbox, so sending a request again
// to another backend is always safe: a refused connection, a connection that
// breaks or times out, a 503 (full), a 401 (token mismatch) or a 502/504
// (from a proxy in front of the backend) moves the request on, at most
// `max_attempts` backends. Only when none answers does the client get 503 (all
// full) or 502 (none reachable). A backend that the health checks eject
// while requests wait on it (a cloud cut off: no answer, no refusal) gives
// them up at once and they move on, instead of each waiting out the
// upstream timeout. A client that goes away ends its request: the upstream
// connection is closed, so the backend stops the run too.
//
// It serves every event loop of the frontend: each loop has its own
// connections to the backends and, per backend, the stop source its
// waiting requests follow (replaced at each ejection), while
// the balancer (round-robin and health) is one, behind a lock, so the
// rotation and the ejections hold for the process. The health checks run on
// the first loop; an ejection reaches the requests of every loop through
// their own executor.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics.h"
#include "common/result.h"
#include "common/task.h"
#include "frontend/backend_list.h"
#include "frontend/balancer.h"
#include "http/client.h"

namespace playground::frontend {

struct GatewayOptions {
  std::string token;    // sent as Authorization: Bearer when not empty
  std::string ca_file;  // PEM; "" uses the system's trusted roots
  size_t max_attempts = 3;
  std::chrono::milliseconds connect_timeout{2'000};
  // Whole exchange with one backend, queueing and the run included.
  std::chrono::milliseconds upstream_timeout{30'000};
  std::chrono::milliseconds health_interval{500};
  std::chrono::milliseconds health_timeout{1'000};
  HealthPolicy health;
  size_t max_idle_per_backend = 64;
};

// The backend endpoints the frontend forwards to.
inline constexpr std::string_view kEvalTarget = "/py/eval";
inline constexpr std::string_view kGradeTarget = "/py/grade";

// What became of a request to a backend: the `outcome` label of
// playground_frontend_upstream_requests_total, as to_string() writes it.
enum class UpstreamOutcome {
  answered,
  busy,
  unauthorized,
  gateway_error,
  connect,
  timeout,
  closed,
  protocol,
  local,
  cancelled,
  ejected
};
inline constexpr size_t kUpstreamOutcomes = 11;
std::string_view to_string(UpstreamOutcome outcome);

struct Forwarded {
  http::Response response;
  std::string backend;     // who answered; "" when none did
  int attempts = 0;        // backends tried
  bool cancelled = false;  // `client_gone` stopped it; nobody reads it
};

class Gateway {
 public:
  // Fails when the CA file cannot be loaded. `loops`: the executor of each
  // event loop whose requests it forwards (forward() runs on one of them).
  static Result<std::unique_ptr<Gateway>> create(
      std::vector<Executor> loops, std::vector<BackendSpec> backends,
      GatewayOptions options, metrics::Registry& registry);
  ~Gateway();

  // Forwards a JSON request to a backend's `target` (kEvalTarget,
  // kGradeTarget). A stop on `client_gone` abandons it, closing the
  // connection to the backend; it must be requested on the loop forward()
  // runs on (the stop cancels that loop's socket, which takes no lock).
  // `client` (the client's address) goes to the backend with the token, for its
  // fair queueing (X-Playground-Client). The three strings are read until it
  // completes: await it at once.
  Task<Forwarded> forward(std::string_view target, std::string_view json_body,
                          std::string_view client,
                          std::stop_token client_gone = {});

  void start_health_checks();
  // Ends the health checks (within one health timeout). Any thread.
  void stop();

  // GET /api/backends: name, url, health, in-flight, latency, failures.
  boost::json::object describe() const;
  size_t healthy_count() const;
  // The backends' Python ("3.11.2"), as their last passed health check
  // said; "" until one has.
  std::string python_version() const;

 private:
  // What each event loop has of its own.
  struct Loop {
    Executor executor;
    // Per backend: the connections, and what stops the requests waiting on
    // it when it is ejected (then replaced by a fresh one for the next).
    std::vector<std::unique_ptr<http::Client>> clients;
    std::vector<std::stop_source> ejections;
  };

  Gateway(std::vector<Executor> loops, std::vector<BackendSpec> backends,
          GatewayOptions options, metrics::Registry& registry);
  // The loop running on `executor` (the caller's).
  Loop& loop_of(const Executor& executor);
  // Runs `f` on the balancer, under its lock.
  template <typename F>
  auto with_balancer(F f) {
    std::lock_guard lock(mu_);
    return f(balancer_);
  }
  template <typename F>
  auto with_balancer(F f) const {
    std::lock_guard lock(mu_);
    return f(balancer_);
  }
  // What forward() has so far: the client's answer, and, for the answer
  // when no backend gives one, whether one was busy and the last failure.
  struct Forwarding {
    Forwarded out;
    bool any_busy = false;
    std::string last_error;  // "" while no backend was tried
  };
  enum class Next { answered, try_next, stop };
  // What the try at backend i, begun at `start`, came to; `answered` leaves
  // its answer in f.out. `ejected`: stopped because the health checks
  // ejected the backend meanwhile.
  Next judge(Loop& loop, size_t i, Result<http::Response>& answer, bool ejected,
             std::chrono::steady_clock::time_point start, Forwarding& f);
  // Counts a request to backend i by what became of it.
  void count(size_t i, UpstreamOutcome outcome) {
    outcome_counts_[i][static_cast<size_t>(outcome)]->inc();
  }
  // A backend that did not answer: counted, logged, its health told. False
  // when forwarding must stop (the client went away).
  bool on_failure(Loop& loop, size_t i, const Error& error, bool ejected,
                  Forwarding& f);
  // An answer that is not the backend's word on the run (busy, the token
  // refused, a proxy's 502 or 504): counted, and the request moves on. False
  // for an answer to relay.
  bool on_refusal(size_t i, const http::Response& answer, Forwarding& f);
  // What the client gets when no backend answered.
  static http::Response give_up(const Forwarding& f, bool client_gone);
  Task<void> check_health(size_t i);
  // A request to backend i failed: the balancer is told, and a change of
  // its health noted.
  void report_failure(size_t i, bool down, const std::string& error);
  // Logs a backend's ejection or return (`s`: its state just after), and
  // on an ejection stops the requests waiting on it, on every loop.
  void note_health_change(size_t i, const BackendState& s,
                          size_t healthy_count);
  void note_python_version(std::string_view readyz_body);

  std::vector<BackendSpec> backends_;
  GatewayOptions options_;
  boost::asio::ssl::context tls_;
  std::vector<Loop> loops_;
  // The health checks', on the first loop.
  std::vector<std::unique_ptr<http::Client>> health_clients_;
  std::vector<std::unique_ptr<Timer>> health_timers_;
  std::atomic<bool> stopping_ = false;
  mutable std::mutex mu_;  // guards balancer_ and python_version_
  Balancer balancer_;
  std::string python_version_;
  // "Authorization: Bearer <token>\r\n", or "" without a token.
  std::string authorization_;
  metrics::CounterFamily& upstream_;
  // upstream_'s counters, found once: per backend, one per outcome.
  std::vector<std::array<metrics::Counter*, kUpstreamOutcomes>> outcome_counts_;
  metrics::Histogram& latency_;
};

}  // namespace playground::frontend
