// HostResolver: detached lookups, the last good answer kept (see the header).
#include "http/host_resolver.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <optional>

#include "common/log.h"
#include "common/task.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace asio::experimental::awaitable_operators;

}  // namespace

void KnownAddresses::put(const Endpoints& endpoints, Clock::time_point at) {
  std::lock_guard lock(mu_);
  known_.emplace(endpoints, at);
}

std::optional<
    std::pair<KnownAddresses::Endpoints, KnownAddresses::Clock::time_point>>
KnownAddresses::get() const {
  std::lock_guard lock(mu_);
  return known_;
}

struct HostResolver::State {
  State(Executor executor, std::string host_name, uint16_t port_number,
        std::chrono::milliseconds ttl_ms,
        std::shared_ptr<KnownAddresses> shared_addresses)
      : resolver(executor),
        lookup_done(executor, Clock::time_point::max()),
        host(std::move(host_name)),
        port(port_number),
        ttl(ttl_ms),
        shared(std::move(shared_addresses)) {}

  asio::ip::basic_resolver<tcp, Executor> resolver;
  // Never expires: cancelling it wakes every caller waiting for a lookup.
  Timer lookup_done;
  std::string host;
  uint16_t port;
  std::chrono::milliseconds ttl;
  const std::shared_ptr<KnownAddresses> shared;  // may be null

  std::optional<Endpoints> known;
  Clock::time_point known_at;
  bool expired = false;  // to be looked up again at the next use
  bool looking_up = false;
  std::string last_error;  // of the last lookup that failed
};

HostResolver::HostResolver(Executor executor, std::string host, uint16_t port,
                           std::chrono::milliseconds ttl,
                           std::shared_ptr<KnownAddresses> shared)
    : state_(std::make_shared<State>(std::move(executor), std::move(host), port,
                                     ttl, std::move(shared))) {}

HostResolver::~HostResolver() {
  // A lookup still running completes into its own copy of the state.
  state_->lookup_done.cancel();
}

void HostResolver::expire() { state_->expired = true; }

Task<Result<HostResolver::Endpoints>> HostResolver::resolve(
    Clock::time_point deadline) {
  std::shared_ptr<State> s = state_;
  auto start_lookup = [&] {
    if (s->looking_up) return;
    s->looking_up = true;
    asio::co_spawn(s->resolver.get_executor(), look_up(s), asio::detached);
  };
  if (!s->known && s->shared) {
    // Another loop's lookup, kept with its age.
    if (auto theirs = s->shared->get()) {
      s->known = std::move(theirs->first);
      s->known_at = theirs->second;
    }
  }
  if (s->known) {
    if (s->expired || Clock::now() - s->known_at >= s->ttl) start_lookup();
    co_return *s->known;
  }
  start_lookup();
  Timer give_up(s->resolver.get_executor(), deadline);
  while (s->looking_up && Clock::now() < deadline) {
    co_await (s->lookup_done.async_wait(use_task_nothrow) ||
              give_up.async_wait(use_task_nothrow));
  }
  if (s->known) co_return *s->known;
  if (s->looking_up) {
    co_return Error{"resolving " + s->host + " took too long"};
  }
  co_return Error{"cannot resolve " + s->host + ": " + s->last_error};
}

Task<void> HostResolver::look_up(std::shared_ptr<State> s) {
  auto [ec, found] = co_await s->resolver.async_resolve(
      s->host, std::to_string(s->port), use_task_nothrow);
  s->looking_up = false;
  s->expired = false;
  if (!ec && !found.empty()) {
    s->known = std::move(found);
    s->known_at = Clock::now();
    s->last_error.clear();
    if (s->shared) s->shared->put(*s->known, s->known_at);
  } else {
    s->last_error = ec ? ec.message() : "no address";
    if (s->known) {
      // Keep the old addresses; try again after another TTL, not on every
      // request.
      s->known_at = Clock::now();
      log::warn("cannot resolve an upstream host; using its last addresses",
                {{"host", s->host}, {"error", s->last_error}});
    }
  }
  // Wake whoever waits; the timer never expires on its own.
  s->lookup_done.cancel();
}

}  // namespace playground::http
