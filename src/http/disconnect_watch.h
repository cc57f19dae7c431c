// Watching a connection for its client leaving while a handler runs, so
// that long work (a sandboxed run, a proxied one) stops when nobody waits
// for it any more.
//
//   DisconnectWatches watches(io, 10ms);           // one per event loop
//   DisconnectWatch watch(watches, socket, gone);  // in a call's frame
//   ctx.client_gone = watch.token();
//   ... co_await the handler ...                   // ~DisconnectWatch ends it
//
// The watch proper is a read that peeks one byte: the end of the stream, a
// reset or a socket error requests the token's stop; bytes (a pipelined
// request) end the watch without, and stay where the next read finds them.
//
// Why a delay: most calls end within tens of microseconds (a request the
// frontend proxies), and watching costs one system call: Asio tries a read
// once before it waits (an EAGAIN), and a wait for readability re-arms the
// edge-triggered epoll registration (an epoll_ctl). So a call only
// registers with its loop, and its read starts when the loop's tick finds
// the call still running a whole `delay` later: a client that leaves is
// noticed within two delays, then at once; a call that ends sooner costs
// no system call at all.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/intrusive/list.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stop_token>

#include "common/task.h"
#include "http/socket.h"

namespace playground::http {

class DisconnectWatches;

// One call's watch; lives in the call's frame, beside its socket. Not
// movable: the loop's list holds it. `gone` is the connection's: one with no
// state, or whose stop was requested, is replaced by a fresh one first;
// else its state is shared with the calls before (their watches ended with
// them, so none can request it now).
class DisconnectWatch {
 public:
  DisconnectWatch(DisconnectWatches& loop, Socket& socket,
                  std::stop_source& gone);
  ~DisconnectWatch();
  DisconnectWatch(const DisconnectWatch&) = delete;
  DisconnectWatch& operator=(const DisconnectWatch&) = delete;

  // Stop is requested when the client has left.
  std::stop_token token() const { return gone_.get_token(); }

 private:
  friend class DisconnectWatches;
  struct Read;  // what the read's completion shares
  void start();

  Socket& socket_;
  std::stop_source& gone_;
  uint32_t since_;              // the loop's ticks when the call began
  std::shared_ptr<Read> read_;  // once started
  using Hook = boost::intrusive::list_member_hook<
      boost::intrusive::link_mode<boost::intrusive::auto_unlink>>;
  Hook hook_;  // in the loop's list until the watch starts
};

// The calls of one event loop waiting for their watch to start, and the
// timer that starts them. Single-threaded: its io_context's thread.
class DisconnectWatches {
 public:
  DisconnectWatches(boost::asio::io_context& io,
                    std::chrono::milliseconds delay);
  ~DisconnectWatches();
  DisconnectWatches(const DisconnectWatches&) = delete;
  DisconnectWatches& operator=(const DisconnectWatches&) = delete;

 private:
  friend class DisconnectWatch;
  void add(DisconnectWatch& w);
  void arm();
  // Starts the watch of every call registered before the previous tick.
  void tick();

  Timer timer_;
  const std::chrono::milliseconds delay_;
  // Ticks so far, and whether the timer is waiting for the next one (only
  // while calls wait: an idle loop has no timer).
  uint32_t ticks_ = 0;
  bool armed_ = false;
  std::shared_ptr<bool> alive_;  // the timer's completion checks it
  boost::intrusive::list<
      DisconnectWatch, boost::intrusive::constant_time_size<false>,
      boost::intrusive::member_hook<DisconnectWatch, DisconnectWatch::Hook,
                                    &DisconnectWatch::hook_>>
      waiting_;  // oldest first
};

}  // namespace playground::http
