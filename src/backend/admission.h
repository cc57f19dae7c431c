// Admission: at most N sandboxes at once, a bounded queue behind them.
//
//   std::optional<int> slot = co_await admission.acquire();
//   if (!slot) return busy_503();          // queue full: never wait unbounded
//   ... run in cgroup slot *slot ...
//   admission.release(*slot);
//
// Each permit is a slot number in [0, N), which doubles as the index of the
// sandbox's cgroup. Waiters are served first come, first served. Single
// threaded: use from the io_context's thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <optional>
#include <vector>

namespace playground::backend {

class Admission {
 public:
  Admission(int concurrency, int queue_limit);

  boost::asio::awaitable<std::optional<int>> acquire();
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
