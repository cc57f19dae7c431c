// Bounded concurrency with a bounded FIFO queue (see admission.h).
#include "backend/admission.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <utility>

#include "common/task.h"

namespace playground::backend {

Admission::Admission(int concurrency, int queue_limit)
    : concurrency_(concurrency),
      queue_limit_(queue_limit),
      holder_(static_cast<size_t>(concurrency)),
      finishing_(static_cast<size_t>(concurrency), false) {
  // Hand out low slot numbers first: easier to read in logs and cgroups.
  for (int i = concurrency - 1; i >= 0; --i) free_.push_back(i);
}

void Admission::grant(int slot, const std::string& client) {
  holder_[static_cast<size_t>(slot)] = client;
  ++held_[client];
  last_grant_[client] = ++grants_;
}

Task<std::optional<int>> Admission::acquire(std::string client,
                                            std::stop_token stop) {
  if (!free_.empty()) {
    int slot = free_.back();
    free_.pop_back();
    grant(slot, client);
    co_return slot;
  }
  if (queued() >= queue_limit_ + finishing_count_) co_return std::nullopt;
  Timer wake(co_await boost::asio::this_coro::executor,
             Timer::time_point::max());
  std::optional<int> granted;
  waiters_.push_back({&wake, &granted, std::move(client)});
  {
    // release() hands us a slot and cancels the timer to wake us; so does a
    // stop, which also makes a wait not begun yet end at once.
    std::stop_callback on_stop(
        stop, [&wake] { wake.expires_at(Timer::time_point::min()); });
    co_await wake.async_wait(use_task_nothrow);
  }
  if (!granted) {
    std::erase_if(waiters_, [&granted](const Waiter& w) {
      return w.granted == &granted;
    });
  }
  co_return granted;
}

void Admission::forget_holder(int slot) {
  std::string& holder = holder_[static_cast<size_t>(slot)];
  if (auto it = held_.find(holder); it != held_.end() && --it->second == 0) {
    held_.erase(it);
  }
  holder.clear();
}

void Admission::finishing(int slot) {
  forget_holder(slot);
  finishing_[static_cast<size_t>(slot)] = true;
  ++finishing_count_;
}

void Admission::release(int slot) {
  if (finishing_[static_cast<size_t>(slot)]) {
    finishing_[static_cast<size_t>(slot)] = false;
    --finishing_count_;
  } else {
    forget_holder(slot);
  }
  if (waiters_.empty()) {
    free_.push_back(slot);
    forget_idle_clients();
    return;
  }
  // The waiter whose client holds the fewest permits; among those the
  // client served longest ago (round robin), then the earliest waiter.
  auto rank = [this](const Waiter& w) {
    auto held = held_.find(w.client);
    auto last = last_grant_.find(w.client);
    return std::pair(held == held_.end() ? 0 : held->second,
                     last == last_grant_.end() ? 0 : last->second);
  };
  auto next = waiters_.begin();
  for (auto it = waiters_.begin(); it != waiters_.end(); ++it) {
    if (rank(*it) < rank(*next)) next = it;
  }
  Waiter w = std::move(*next);
  waiters_.erase(next);
  grant(slot, w.client);
  *w.granted = slot;
  w.wake->cancel();
  forget_idle_clients();
}

// A client that holds nothing and waits for nothing needs no turn kept.
void Admission::forget_idle_clients() {
  std::erase_if(last_grant_, [this](const auto& entry) {
    if (held_.contains(entry.first)) return false;
    return std::none_of(waiters_.begin(), waiters_.end(), [&](const Waiter& w) {
      return w.client == entry.first;
    });
  });
}

}  // namespace playground::backend
