// HostResolver: the addresses of one upstream host name, for a Client,
// looked up so that no request waits on DNS past its own deadline.
//
//   HostResolver names(executor, "playground-backend", 6000);
//   auto found = co_await names.resolve(deadline);   // endpoints or an Error
//   ... connect fails: names.expire();               // look it up again soon
//
// Asio runs getaddrinfo on a private thread and cannot cancel it, so a DNS
// server that does not answer held every new upstream connection (and the
// health checks meant to notice) for as long as the C library retried,
// 10 s and more. Here a lookup runs detached, one at a time; a caller waits
// for it only while no address is known, and never past its deadline. The
// last good answer is kept: once older than `ttl` it is refreshed in the
// background and still used meanwhile, also when the refresh fails (a
// Kubernetes Service keeps its address; an address that stopped working
// fails at connect, and the backend is skipped as for any other failure).
// Not thread-safe: one HostResolver belongs to one executor; resolvers of
// the same host on other executors (event loops) may share what they found
// through one KnownAddresses.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "common/result.h"
#include "common/task.h"

namespace playground::http {

// The last good addresses of one host, shared by its resolvers on several
// event loops: what one loop looked up serves the others, during a DNS
// outage too. Thread-safe.
class KnownAddresses {
 public:
  using Endpoints = boost::asio::ip::tcp::resolver::results_type;
  using Clock = std::chrono::steady_clock;

  void put(const Endpoints& endpoints, Clock::time_point at);
  // The addresses and when they were found; none before a first lookup.
  std::optional<std::pair<Endpoints, Clock::time_point>> get() const;

 private:
  mutable std::mutex mu_;
  std::optional<std::pair<Endpoints, Clock::time_point>> known_;
};

class HostResolver {
 public:
  using Endpoints = boost::asio::ip::tcp::resolver::results_type;

  // `shared`, when set, is told each good answer and asked before a lookup
  // of this resolver's own.
  HostResolver(Executor executor, std::string host, uint16_t port,
               std::chrono::milliseconds ttl = std::chrono::seconds(10),
               std::shared_ptr<KnownAddresses> shared = nullptr);
  ~HostResolver();
  HostResolver(const HostResolver&) = delete;
  HostResolver& operator=(const HostResolver&) = delete;

  // The host's addresses: known ones at once (starting a refresh when they
  // are older than the TTL), else the result of a lookup if it ends before
  // `deadline`. The error says which: the lookup failed, or took too long.
  Task<Result<Endpoints>> resolve(
      std::chrono::steady_clock::time_point deadline);

  // The known addresses are to be looked up again at the next use (a
  // connection to them failed); they are still used until that ends.
  void expire();

 private:
  struct State;
  static Task<void> look_up(std::shared_ptr<State> s);
  std::shared_ptr<State> state_;  // shared with a lookup still running
};

}  // namespace playground::http
