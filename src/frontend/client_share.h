// ClientShare: a fair share of the backends per client address.
//
//   ClientShare share(/*in_flight=*/4, /*waiting=*/16);
//   auto permit = co_await share.acquire(ctx.remote, ctx.client_gone);
//   if (!permit) return too_many_429();   // this client's line is full
//   ... forward the run; the permit's end lets this client's next one go
//
// One client address has at most `in_flight` runs forwarded at once; more
// wait in that address's own line (first come, first served), at most
// `waiting` of them. A client that sends many long runs then fills its own
// line, not the backends' queues, and another client's run goes to the next
// free sandbox. Thread-safe: the frontend's loops share one, and a place
// freed on one loop wakes a waiter on another through the waiter's own
// executor.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "common/address_table.h"
#include "common/task.h"

namespace playground::frontend {

class ClientShare {
  struct Line;  // below

 public:
  ClientShare(int in_flight, int waiting)
      : in_flight_(in_flight), waiting_(waiting) {}
  ClientShare(const ClientShare&) = delete;
  ClientShare& operator=(const ClientShare&) = delete;

  class Permit {
   public:
    Permit(Permit&& other) noexcept;
    Permit& operator=(Permit&&) = delete;
    ~Permit();

   private:
    friend class ClientShare;
    Permit(ClientShare* share, Line* line) : share_(share), line_(line) {}
    ClientShare* share_;
    Line* line_;
  };

  // A permit once one of the client's places is free; none when its line
  // is full or `stop` is requested (the client went away) while it waits.
  Task<std::optional<Permit>> acquire(const std::string& client,
                                      std::stop_token stop = {});
  // A permit if one of the client's places is free now; none otherwise
  // (acquire then waits in line or refuses). Without a coroutine: most
  // requests find their place free.
  std::optional<Permit> try_acquire(const std::string& client);

  int waiting() const;

 private:
  // A run waiting for its place; shared with the releaser's wake-up, which
  // may run after the waiter has given up.
  struct Waiter {
    Waiter(const Executor& executor, std::stop_token stop)
        : wake(executor, Timer::time_point::max()), stop(std::move(stop)) {}
    Timer wake;            // on the waiter's loop
    std::stop_token stop;  // its client went away: it is passed over
    // Guarded by mu_. Out of the line, the waiter no longer keeps its Line
    // from a sweep, so it reads this, not the line, when it wakes.
    enum class Turn { waiting, granted, passed_over } turn = Turn::waiting;
  };
  // A client's runs: kept while idle (see AddressTable), so a run takes and
  // gives back its place without a lookup. A list, since an empty deque
  // already holds two allocations.
  struct Line {
    int in_flight = 0;  // a permit holds one, so its line stays
    std::list<std::shared_ptr<Waiter>> waiting;
    bool idle() const { return in_flight == 0 && waiting.empty(); }
  };
  void release(Line& line);

  const int in_flight_;
  const int waiting_;
  mutable std::mutex mu_;  // guards lines_ and every Waiter::turn
  AddressTable<Line> lines_;
};

}  // namespace playground::frontend
