// Admission: at most N sandboxes at once, a bounded queue behind them.
//
//   std::optional<int> permit = co_await admission.acquire(client_gone);
//   if (!permit) return busy_503();        // queue full: never wait unbounded
//   ... take a sandbox from the pool and run it ...
//   admission.release(*permit);
//
// A permit is a number in [0, N) (low ones first, handy in logs); the
// sandbox's cgroup slot comes from the pool, which has more slots than N.
// Waiters are served first come, first served; one whose `stop` is requested
// (its client went away) leaves the queue with no permit. Single threaded:
// use from the io_context's thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <optional>
#include <stop_token>
#include <vector>

namespace playground::backend {

class Admission {
 public:
  Admission(int concurrency, int queue_limit);

  boost::asio::awaitable<std::optional<int>> acquire(std::stop_token stop = {});
  void release(int slot);

  int concurrency() const { return concurrency_; }
  int queue_limit() const { return queue_limit_; }
  int running() const { return concurrency_ - static_cast<int>(free_.size()); }
  int queued() const { return static_cast<int>(waiters_.size()); }
  bool queue_full() const { return free_.empty() && queued() >= queue_limit_; }

 private:
  struct Waiter {
    boost::asio::steady_timer* wake;
    std::optional<int>* granted;
  };
  int concurrency_;
  int queue_limit_;
  std::vector<int> free_;
  std::deque<Waiter> waiters_;
};

}  // namespace playground::backend
