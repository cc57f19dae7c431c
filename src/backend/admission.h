// Admission: at most N sandboxes at once, a bounded queue behind them.
//
//   std::optional<int> permit = co_await admission.acquire(client, gone);
//   if (!permit) return busy_503();        // queue full: never wait unbounded
//   ... take a sandbox from the pool and run it ...
//   admission.release(*permit);
//
// A permit is a number in [0, N) (low ones first, handy in logs); the
// sandbox's cgroup slot comes from the pool, which has more slots than N.
// Waiters are served fairly across clients: a freed permit goes to the
// waiter whose client holds the fewest permits, among those the client
// served longest ago, then the earliest; so one client's many queued runs
// do not make another's wait behind all of them. One whose `stop` is requested
// (its client went away) leaves the queue with no permit. Single threaded: the
// io_context's thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/task.h"

namespace playground::backend {

class Admission {
 public:
  Admission(int concurrency, int queue_limit);

  Task<std::optional<int>> acquire(std::string client,
                                   std::stop_token stop = {});
  void release(int slot);
  // The run holding `slot` has answered and its sandbox is being ended (a
  // fraction of a millisecond): its client holds it no more, and a request
  // may wait for it even past the queue's limit, so a client sending one
  // request after another never finds its own last run in the way.
  void finishing(int slot);

  int concurrency() const { return concurrency_; }
  int queue_limit() const { return queue_limit_; }
  int running() const {
    return concurrency_ - static_cast<int>(free_.size()) - finishing_count_;
  }
  int queued() const { return static_cast<int>(waiters_.size()); }
  bool queue_full() const {
    return free_.empty() && queued() >= queue_limit_ + finishing_count_;
  }

 private:
  struct Waiter {
    Timer* wake;
    std::optional<int>* granted;
    std::string client;
  };
  void grant(int slot, const std::string& client);
  void forget_holder(int slot);
  void forget_idle_clients();

  int concurrency_;
  int queue_limit_;
  std::vector<int> free_;
  std::deque<Waiter> waiters_;       // in arrival order
  std::vector<std::string> holder_;  // the client of each permit
  std::vector<bool> finishing_;      // per permit, see finishing()
  int finishing_count_ = 0;
  std::unordered_map<std::string, int> held_;  // permits held per client
  // When each client with runs held or waiting was last given a permit.
  std::unordered_map<std::string, uint64_t> last_grant_;
  uint64_t grants_ = 0;
};

}  // namespace playground::backend
