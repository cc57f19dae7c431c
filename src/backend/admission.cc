// Bounded concurrency with a bounded FIFO queue (see admission.h).
#include "backend/admission.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace playground::backend {

Admission::Admission(int concurrency, int queue_limit)
    : concurrency_(concurrency), queue_limit_(queue_limit) {
  // Hand out low slot numbers first: easier to read in logs and cgroups.
  for (int i = concurrency - 1; i >= 0; --i) free_.push_back(i);
}

boost::asio::awaitable<std::optional<int>> Admission::acquire(
    std::stop_token stop) {
  if (!free_.empty()) {
    int slot = free_.back();
    free_.pop_back();
    co_return slot;
  }
  if (queued() >= queue_limit_) co_return std::nullopt;
  boost::asio::steady_timer wake(co_await boost::asio::this_coro::executor,
                                 boost::asio::steady_timer::time_point::max());
  std::optional<int> granted;
  waiters_.push_back({&wake, &granted});
  {
    // release() hands us a slot and cancels the timer to wake us; so does a
    // stop, which also makes a wait not begun yet end at once.
    std::stop_callback on_stop(stop, [&wake] {
      wake.expires_at(boost::asio::steady_timer::time_point::min());
    });
    co_await wake.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
  if (!granted) {
    std::erase_if(waiters_, [&granted](const Waiter& w) {
      return w.granted == &granted;
    });
  }
  co_return granted;
}

void Admission::release(int slot) {
  if (!waiters_.empty()) {
    Waiter w = waiters_.front();
    waiters_.pop_front();
    *w.granted = slot;
    w.wake->cancel();
    return;
  }
  free_.push_back(slot);
}

}  // namespace playground::backend
