// Runs in flight per client address, with a line of its own (see
// client_share.h).
#include "frontend/client_share.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <utility>

#include "common/task.h"

namespace playground::frontend {

namespace asio = boost::asio;

ClientShare::Permit::Permit(Permit&& other) noexcept
    : share_(std::exchange(other.share_, nullptr)), line_(other.line_) {}

ClientShare::Permit::~Permit() {
  if (share_ != nullptr) share_->release(*line_);
}

std::optional<ClientShare::Permit> ClientShare::try_acquire(
    const std::string& client) {
  std::lock_guard lock(mu_);
  Line& line = lines_.at(client);
  if (line.in_flight >= in_flight_) return std::nullopt;
  ++line.in_flight;
  return Permit(this, &line);
}

Task<std::optional<ClientShare::Permit>> ClientShare::acquire(
    const std::string& client, std::stop_token stop) {
  std::shared_ptr<Waiter> waiter;
  Line* line = nullptr;  // stays while this run holds a place or waits
  {
    std::lock_guard lock(mu_);
    line = &lines_.at(client);
    if (line->in_flight < in_flight_) {
      ++line->in_flight;
    } else if (static_cast<int>(line->waiting.size()) < waiting_) {
      waiter =
          std::make_shared<Waiter>(co_await asio::this_coro::executor, stop);
      line->waiting.push_back(waiter);
    } else {
      co_return std::nullopt;
    }
  }
  if (!waiter) co_return Permit(this, line);
  {
    // release() hands the place over and cancels the timer; a stop (on
    // this loop: the client's connection is here) wakes the waiter without
    // one.
    std::stop_callback on_stop(stop, [&wake = waiter->wake] {
      wake.expires_at(Timer::time_point::min());
    });
    co_await waiter->wake.async_wait(use_task_nothrow);
  }
  std::lock_guard lock(mu_);
  switch (waiter->turn) {
    case Waiter::Turn::granted:
      co_return Permit(this, line);
    case Waiter::Turn::waiting:
      // Gone while waiting: out of the line (still in it, so it still
      // stood).
      std::erase(line->waiting, waiter);
      co_return std::nullopt;
    case Waiter::Turn::passed_over:  // already out of the line
      co_return std::nullopt;
  }
  co_return std::nullopt;
}

void ClientShare::release(Line& line) {
  std::lock_guard lock(mu_);
  while (!line.waiting.empty()) {
    std::shared_ptr<Waiter> next = std::move(line.waiting.front());
    line.waiting.pop_front();
    // A waiter whose client left is passed over: its stop has woken it, or
    // is about to, and it leaves without a place. Granted, it would take
    // the place for a forward that stops at once and give it back a turn of
    // its loop later, while the next waiter still there waited for nothing.
    if (next->stop.stop_requested()) {
      next->turn = Waiter::Turn::passed_over;
      continue;
    }
    // The place goes to this client's next run: in_flight stays. Its timer
    // is woken on its own loop.
    next->turn = Waiter::Turn::granted;
    asio::post(next->wake.get_executor(), [next] { next->wake.cancel(); });
    return;
  }
  --line.in_flight;
}

int ClientShare::waiting() const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& [client, line] : lines_)
    n += static_cast<int>(line.waiting.size());
  return n;
}

}  // namespace playground::frontend
