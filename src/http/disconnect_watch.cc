// Disconnect watches, started late (see disconnect_watch.h).
#include "http/disconnect_watch.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>

namespace playground::http {

namespace asio = boost::asio;

// The started read's completion comes after the call when the call cancels
// it, so what it needs is shared with it; it holds the byte the read peeks
// into too.
struct DisconnectWatch::Read {
  std::stop_source gone;
  bool done = false;  // the call has ended: the read means nothing
  char byte = 0;
};

DisconnectWatch::DisconnectWatch(DisconnectWatches& loop, Socket& socket,
                                 std::stop_source& gone)
    : socket_(socket), gone_(gone), since_(loop.ticks_) {
  if (!gone_.stop_possible() || gone_.stop_requested()) {
    gone_ = std::stop_source();
  }
  loop.add(*this);
}

DisconnectWatch::~DisconnectWatch() {
  // Unlinked from the loop's list by its hook (auto_unlink) when waiting.
  if (read_) {
    // The read's completion (aborted) comes later and finds `done`.
    read_->done = true;
    boost::system::error_code ignored;
    socket_.cancel(ignored);
  }
}

// A read that peeks, not a wait for readability: Asio re-arms an
// edge-triggered registration for a wait with an epoll_ctl, while a read
// only tries the socket once. Peeking leaves a pipelined request's bytes
// where the next read finds them, whenever this completion runs.
void DisconnectWatch::start() {
  read_ = std::make_shared<Read>(Read{.gone = gone_});
  socket_.async_receive(
      asio::buffer(&read_->byte, 1), Socket::message_peek,
      [read = read_](const boost::system::error_code& ec, size_t peeked) {
        // After the call, the socket may be gone: touch nothing.
        if (read->done || ec == asio::error::operation_aborted) return;
        if (!ec && peeked > 0) return;  // a pipelined request, not goodbye
        read->gone.request_stop();      // end of stream, reset or socket error
      });
}

DisconnectWatches::DisconnectWatches(asio::io_context& io,
                                     std::chrono::milliseconds delay)
    : timer_(io), delay_(delay), alive_(std::make_shared<bool>(true)) {}

DisconnectWatches::~DisconnectWatches() {
  *alive_ = false;
  // The calls outlive their loop only at a process's end; they then keep
  // their own watch (none started) and unlink from nothing.
  waiting_.clear();
}

void DisconnectWatches::add(DisconnectWatch& w) {
  waiting_.push_back(w);
  if (!armed_) arm();
}

void DisconnectWatches::arm() {
  armed_ = true;
  timer_.expires_after(delay_);
  timer_.async_wait(
      [this, alive = alive_](const boost::system::error_code& ec) {
        if (!*alive || ec) return;
        armed_ = false;
        tick();
      });
}

void DisconnectWatches::tick() {
  ++ticks_;
  // A call registered at tick count `since` has run at least a whole delay
  // once two ticks have passed it.
  while (!waiting_.empty() && ticks_ - waiting_.front().since_ >= 2) {
    DisconnectWatch& w = waiting_.front();
    waiting_.pop_front();
    w.start();
  }
  if (!waiting_.empty()) arm();
}

}  // namespace playground::http
