// Forwarding with failover, and active health checks (see gateway.h).
#include "frontend/gateway.h"

#include <openssl/ssl.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/assert.hpp>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <span>

#include "common/log.h"
#include "common/task.h"
#include "protocol/eval_request.h"

namespace playground::frontend {
namespace {

namespace asio = boost::asio;
namespace field = boost::beast::http;
using Clock = std::chrono::steady_clock;
using http::Status;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

// The fields a backend's answer is relayed or judged by; the clients keep
// no other (hop-by-hop headers of the upstream connection stay behind).
const std::vector<field::field> kRelayedFields = {field::field::content_type,
                                                  field::field::retry_after};

// What the client gets from a backend: its status, body, type and
// Retry-After (all the client kept of it), and who answered.
http::Response relay(http::Response& upstream, const std::string& backend) {
  http::Response r = std::move(upstream);
  r.version(11);
  if (r[field::field::content_type].empty()) {
    r.set(field::field::content_type, "application/json");
  }
  // A name Beast does not know: said so, not looked up in its table.
  r.insert(field::field::unknown, "X-Playground-Backend", backend);
  r.insert(field::field::content_length, std::to_string(r.body().size()));
  return r;
}

// UpstreamOutcome's labels, in its order.
constexpr std::array<std::string_view, kUpstreamOutcomes> kOutcomeNames = {
    "answered", "busy",      "unauthorized", "gateway_error",
    "connect",  "timeout",   "closed",       "protocol",
    "local",    "cancelled", "ejected"};
static_assert(static_cast<size_t>(UpstreamOutcome::ejected) + 1 ==
              kUpstreamOutcomes);

// The outcome of a request that failed as `failure` (neither cancelled nor
// local: those are counted apart).
UpstreamOutcome outcome_of(http::Failure failure) {
  switch (failure) {
    case http::Failure::connect:
      return UpstreamOutcome::connect;
    case http::Failure::timeout:
      return UpstreamOutcome::timeout;
    case http::Failure::closed:
    case http::Failure::unanswered:
      return UpstreamOutcome::closed;
    case http::Failure::local:
      return UpstreamOutcome::local;
    case http::Failure::cancelled:
      return UpstreamOutcome::cancelled;
    case http::Failure::protocol:
      break;
  }
  return UpstreamOutcome::protocol;
}

}  // namespace

std::string_view to_string(UpstreamOutcome outcome) {
  return kOutcomeNames[static_cast<size_t>(outcome)];
}

Result<std::unique_ptr<Gateway>> Gateway::create(
    std::vector<Executor> loops, std::vector<BackendSpec> backends,
    GatewayOptions options, metrics::Registry& registry) {
  std::unique_ptr<Gateway> g(new Gateway(std::move(loops), std::move(backends),
                                         std::move(options), registry));
  boost::system::error_code ec;
  if (g->options_.ca_file.empty()) {
    g->tls_.set_default_verify_paths(ec);
    if (ec)
      return Error{"cannot load the system's CA certificates: " + ec.message()};
  } else {
    g->tls_.load_verify_file(g->options_.ca_file, ec);
    if (ec) {
      return Error{"cannot load the CA file " + g->options_.ca_file + ": " +
                   ec.message()};
    }
  }
  return g;
}

Gateway::Gateway(std::vector<Executor> loops, std::vector<BackendSpec> backends,
                 GatewayOptions options, metrics::Registry& registry)
    : backends_(std::move(backends)),
      options_(std::move(options)),
      tls_(asio::ssl::context::tls_client),
      balancer_(backends_.size(), options_.health),
      upstream_(registry.counter_family(
          "playground_frontend_upstream_requests_total",
          "Requests sent to backends, by backend and outcome (answered, "
          "busy, unauthorized, gateway_error, connect, timeout, closed, "
          "protocol, local, cancelled, ejected).",
          {"backend", "outcome"})),
      latency_(registry.histogram(
          "playground_frontend_upstream_seconds",
          "Time from sending a request to a backend to its answer.",
          {0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10})) {
  SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_2_VERSION);
  if (!options_.token.empty()) {
    authorization_ = "Authorization: Bearer " + options_.token + "\r\n";
  }
  for (const BackendSpec& backend : backends_) {
    auto& counts = outcome_counts_.emplace_back();
    for (size_t k = 0; k < kUpstreamOutcomes; ++k) {
      counts[k] = &upstream_.with(
          {backend.name, to_string(static_cast<UpstreamOutcome>(k))});
    }
  }
  http::ClientOptions request_options;
  request_options.connect_timeout = options_.connect_timeout;
  request_options.max_idle = options_.max_idle_per_backend;
  request_options.kept_fields = kRelayedFields;
  http::ClientOptions check_options = request_options;
  check_options.max_idle = 1;
  // A backend's name looked up on one loop serves every loop.
  std::vector<std::shared_ptr<http::KnownAddresses>> addresses;
  for (size_t i = 0; i < backends_.size(); ++i) {
    addresses.push_back(std::make_shared<http::KnownAddresses>());
  }
  for (Executor& executor : loops) {
    Loop& loop = loops_.emplace_back(Loop{.executor = std::move(executor)});
    for (size_t i = 0; i < backends_.size(); ++i) {
      request_options.addresses = addresses[i];
      loop.clients.push_back(std::make_unique<http::Client>(
          loop.executor, backends_[i].origin, &tls_, request_options));
    }
    loop.ejections.resize(backends_.size());
  }
  const Executor& first = loops_.front().executor;
  for (size_t i = 0; i < backends_.size(); ++i) {
    check_options.addresses = addresses[i];
    health_clients_.push_back(std::make_unique<http::Client>(
        first, backends_[i].origin, &tls_, check_options));
    health_timers_.push_back(std::make_unique<Timer>(first));
  }
  registry.gauge_family_callback(
      "playground_frontend_backend_healthy",
      "1 when the backend is in rotation, 0 when ejected.", {"backend"},
      [this] {
        metrics::Registry::LabelledValues values;
        std::lock_guard lock(mu_);
        for (size_t i = 0; i < backends_.size(); ++i) {
          values.push_back(
              {{backends_[i].name}, balancer_.state(i).healthy ? 1.0 : 0.0});
        }
        return values;
      });
  registry.gauge_family_callback(
      "playground_frontend_backend_in_flight",
      "Requests being answered by each backend.", {"backend"}, [this] {
        metrics::Registry::LabelledValues values;
        std::lock_guard lock(mu_);
        for (size_t i = 0; i < backends_.size(); ++i) {
          values.push_back({{backends_[i].name},
                            static_cast<double>(balancer_.state(i).in_flight)});
        }
        return values;
      });
}

Gateway::~Gateway() = default;

Gateway::Loop& Gateway::loop_of(const Executor& executor) {
  for (Loop& loop : loops_) {
    if (loop.executor == executor) return loop;
  }
  // A request on a loop this gateway was not made for would share another
  // loop's connections across threads.
  log::error("gateway: a request arrived on an unknown event loop");
  std::abort();
}

size_t Gateway::healthy_count() const {
  return with_balancer([](const Balancer& b) { return b.healthy_count(); });
}

std::string Gateway::python_version() const {
  std::lock_guard lock(mu_);
  return python_version_;
}

Task<Forwarded> Gateway::forward(std::string_view target,
                                 std::string_view json_body,
                                 std::string_view client,
                                 std::stop_token client_gone) {
  Forwarding f;
  Loop& loop = loop_of(co_await asio::this_coro::executor);
  // The client's address goes with the token only: the backend believes it
  // only then (see backend/api.cc). An address holds no CR or LF.
  BOOST_ASSERT(client.find_first_of("\r\n") == std::string_view::npos);
  const std::array<std::string_view, 6> fields = {
      "Content-Type: application/json\r\n",
      authorization_,
      protocol::kClientHeader,
      ": ",
      client,
      "\r\n"};
  const http::OutgoingRequest request{
      .method = http::Verb::post,
      .target = target,
      .fields = std::span(fields).first(authorization_.empty() ? 1 : 6),
      .body = json_body};
  const Balancer::Plan plan = with_balancer(
      [this](Balancer& b) { return b.plan(options_.max_attempts); });
  // Each try is awaited here, not in a coroutine of its own: a frame less
  // per request.
  for (size_t i : plan) {
    if (client_gone.stop_requested()) break;
    f.out.attempts++;
    const auto start = Clock::now();
    // Stopped when the health checks eject this backend meanwhile
    // (note_health_change).
    const std::stop_token ejection = loop.ejections[i].get_token();
    with_balancer([i](Balancer& b) { b.begin(i); });
    auto answer = co_await loop.clients[i]->send(
        request, options_.upstream_timeout, client_gone, ejection);
    const bool ejected =
        ejection.stop_requested() && !client_gone.stop_requested();
    const Next next = judge(loop, i, answer, ejected, start, f);
    if (next == Next::answered) co_return std::move(f.out);
    if (next == Next::stop) break;
  }
  f.out.cancelled = client_gone.stop_requested();
  f.out.response = give_up(f, f.out.cancelled);
  co_return std::move(f.out);
}

Gateway::Next Gateway::judge(Loop& loop, size_t i,
                             Result<http::Response>& answer, bool ejected,
                             Clock::time_point start, Forwarding& f) {
  with_balancer([i](Balancer& b) { b.end(i); });
  const BackendSpec& backend = backends_[i];
  if (!answer) {
    if (on_failure(loop, i, answer.error(), ejected, f)) return Next::try_next;
    f.out.backend = backend.name;  // the client went away meanwhile
    return Next::stop;
  }
  if (on_refusal(i, *answer, f)) return Next::try_next;
  const double ms = ms_since(start);
  count(i, UpstreamOutcome::answered);
  latency_.observe(ms / 1000);
  with_balancer([i, ms](Balancer& b) { b.on_answer(i, ms); });
  f.out.response = relay(*answer, backend.name);
  f.out.backend = backend.name;
  return Next::answered;
}

bool Gateway::on_failure(Loop& loop, size_t i, const Error& error, bool ejected,
                         Forwarding& f) {
  const BackendSpec& backend = backends_[i];
  const http::Failure failure = http::failure_of(error);
  if (failure == http::Failure::cancelled && ejected) {
    // Already out of rotation: the next backend may answer it.
    count(i, UpstreamOutcome::ejected);
    f.last_error = backend.name + ": ejected while the request waited";
    log::warn("backend ejected while a request waited; trying the next one",
              {{"backend", backend.name}});
    return true;
  }
  if (failure == http::Failure::cancelled) {
    // Not the backend's fault, and never retried: nobody is waiting.
    count(i, UpstreamOutcome::cancelled);
    return false;
  }
  if (failure == http::Failure::local) {
    // This process is short of descriptors: not the backend's fault.
    count(i, UpstreamOutcome::local);
    f.last_error = "the frontend cannot open connections now";
    log::error("cannot open a connection to a backend",
               {{"backend", backend.name}, {"error", error.message}});
    return true;
  }
  const bool down = failure == http::Failure::connect;
  if (down) loop.clients[i]->drop_idle();
  count(i, outcome_of(failure));
  f.last_error = backend.name + ": " + error.message;
  log::warn("backend failed; trying the next one",
            {{"backend", backend.name},
             {"failure", http::to_string(failure)},
             {"error", error.message}});
  report_failure(i, down, error.message);
  return true;
}

bool Gateway::on_refusal(size_t i, const http::Response& answer,
                         Forwarding& f) {
  const BackendSpec& backend = backends_[i];
  if (answer.result() == Status::service_unavailable) {
    count(i, UpstreamOutcome::busy);
    with_balancer([i](Balancer& b) { b.on_busy(i); });
    f.any_busy = true;
    return true;
  }
  if (answer.result() == Status::unauthorized) {
    // The backend wants a token this frontend does not have: a
    // configuration error, never the client's to fix.
    count(i, UpstreamOutcome::unauthorized);
    f.last_error = backend.name + " refused the frontend's token";
    log::error(
        "backend refused the frontend's token; check "
        "PLAYGROUND_TOKEN on both",
        {{"backend", backend.name}});
    report_failure(i, false, "refused the frontend's token");
    return true;
  }
  if (answer.result() == Status::bad_gateway ||
      answer.result() == Status::gateway_timeout) {
    // Never sent by a backend itself: a proxy or load balancer in front
    // of it could not reach it.
    count(i, UpstreamOutcome::gateway_error);
    f.last_error = backend.name + ": a proxy in front of it answered " +
                   std::to_string(answer.result_int());
    report_failure(i, false, f.last_error);
    return true;
  }
  return false;
}

http::Response Gateway::give_up(const Forwarding& f, bool client_gone) {
  if (client_gone) {
    return http::json_error(Status::service_unavailable,
                            "The client went away.");
  }
  if (f.any_busy) {
    http::Response r =
        http::json_error(Status::service_unavailable,
                         "Every backend is busy; try again in a moment.");
    r.set(field::field::retry_after, "1");
    return r;
  }
  const std::string_view why =
      f.last_error.empty() ? std::string_view("no backend is configured")
                           : std::string_view(f.last_error);
  return http::json_error(Status::bad_gateway, "No backend could answer (" +
                                                   std::string(why) + ").");
}

void Gateway::start_health_checks() {
  for (size_t i = 0; i < backends_.size(); ++i) {
    asio::co_spawn(loops_.front().executor, check_health(i), asio::detached);
  }
}

void Gateway::stop() {
  stopping_ = true;
  asio::dispatch(loops_.front().executor, [this] {
    for (auto& t : health_timers_) t->cancel();
  });
}

Task<void> Gateway::check_health(size_t i) {
  while (!stopping_) {
    // With the token the backend answers in full: whether its self-test
    // passed (busy, not broken, below) and its Python's version.
    const std::string_view fields[] = {authorization_};
    auto answer = co_await health_clients_[i]->send(
        {.target = "/readyz", .fields = fields}, options_.health_timeout);
    if (stopping_) break;
    // A backend whose queue is full answers 503 with its self-test passed:
    // busy, not broken, so the check neither passes nor fails.
    const bool busy = answer &&
                      answer->result() == Status::service_unavailable &&
                      answer->body().find(R"("sandbox_self_test":"passed")") !=
                          std::string::npos;
    const bool passed = answer && answer->result() == Status::ok;
    if (passed) note_python_version(answer->body());
    std::string error;
    if (!answer) {
      error = "readyz: " + answer.error().message;
    } else if (!passed) {
      error = "readyz answered " + std::to_string(answer->result_int());
    }
    // Nothing listening is certain: eject at once, as for a request.
    const bool down =
        !answer && http::failure_of(answer.error()) == http::Failure::connect;
    if (!busy) {
      std::unique_lock lock(mu_);
      if (balancer_.on_check(i, passed, error, down)) {
        const BackendState state = balancer_.state(i);
        const size_t healthy = balancer_.healthy_count();
        lock.unlock();
        note_health_change(i, state, healthy);
      }
    }
    health_timers_[i]->expires_after(options_.health_interval);
    co_await health_timers_[i]->async_wait(use_task_nothrow);
  }
}

void Gateway::note_python_version(std::string_view readyz_body) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(readyz_body, ec);
  if (ec || !v.is_object()) return;
  if (const auto* version = v.as_object().if_contains("python");
      version != nullptr && version->is_string() &&
      !version->as_string().empty() && version->as_string().size() <= 32) {
    std::lock_guard lock(mu_);
    python_version_ = std::string(version->as_string());
  }
}

void Gateway::report_failure(size_t i, bool down, const std::string& error) {
  std::unique_lock lock(mu_);
  if (!balancer_.on_failure(i, down, error)) return;
  const BackendState state = balancer_.state(i);
  const size_t healthy = balancer_.healthy_count();
  lock.unlock();
  note_health_change(i, state, healthy);
}

void Gateway::note_health_change(size_t i, const BackendState& s,
                                 size_t healthy_count) {
  if (s.healthy) {
    log::info(
        "backend back in rotation",
        {{"backend", backends_[i].name}, {"healthy_backends", healthy_count}});
    return;
  }
  log::warn("backend ejected from rotation",
            {{"backend", backends_[i].name},
             {"error", s.last_error},
             {"healthy_backends", healthy_count}});
  // The requests waiting on it give it up and move on: at once on this
  // loop, through its executor on each other one.
  for (Loop& loop : loops_) {
    asio::dispatch(loop.executor, [&loop, i] {
      loop.ejections[i].request_stop();
      loop.ejections[i] = std::stop_source();
    });
  }
}

boost::json::object Gateway::describe() const {
  boost::json::array list;
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < backends_.size(); ++i) {
    const BackendState& s = balancer_.state(i);
    boost::json::object b{
        {"name", backends_[i].name},
        {"url", backends_[i].url},
        {"healthy", s.healthy},
        {"in_flight", s.in_flight},
        {"latency_ms", std::round(s.latency_ms * 100) / 100},
        {"answered", s.answered},
        {"busy", s.busy},
        {"failures", s.failures},
        {"consecutive_failures", s.consecutive_failures},
        {"consecutive_request_failures", s.consecutive_request_failures},
    };
    if (!s.last_error.empty()) b["last_error"] = s.last_error;
    list.push_back(std::move(b));
  }
  return {{"backends", std::move(list)},
          {"healthy", balancer_.healthy_count()}};
}

}  // namespace playground::frontend
