// BodyBudget: a bound on the memory a server holds for request bodies,
// whatever the number of connections.
//
//   BodyBudget budget(64 << 20, 16 << 20);       // in all, per address
//   auto hold = budget.reserve("203.0.113.7", content_length);
//   if (!hold) return 503;                        // read nothing
//   ... read the body, handle it; ~Hold gives the bytes back
//
// A body is read only once its size (declared, or the route's limit when it
// is chunked) fits in what is left of the whole budget and of the share one
// client address may hold: clients holding bodies half-sent cannot grow the
// service's memory with their number, and one address cannot take the whole
// budget from the others. Thread-safe: a server's loops share one.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>

#include "common/address_table.h"

namespace playground::http {

// Request bodies are large, short-lived blocks: each is made its own
// mapping so that freeing it gives the memory back to the system (glibc
// otherwise raises its mapping threshold after the first such free and keeps
// later bodies in a heap that does not shrink). Process-wide; call once at
// start.
void give_large_blocks_back();

class BodyBudget {
 public:
  BodyBudget(size_t total, size_t per_address)
      : total_(total), per_address_(per_address) {}
  BodyBudget(const BodyBudget&) = delete;
  BodyBudget& operator=(const BodyBudget&) = delete;

  // What one address holds: its entry stays while it holds anything (see
  // AddressTable), so a hold gives its bytes back without a lookup.
  struct Held {
    size_t bytes = 0;
    size_t holds = 0;  // a hold of 0 bytes keeps the entry too
    bool idle() const { return holds == 0; }
  };

  class Hold {
   public:
    Hold(Hold&& other) noexcept;
    Hold& operator=(Hold&&) = delete;
    ~Hold();

   private:
    friend class BodyBudget;
    Hold(BodyBudget* budget, Held* held, size_t bytes)
        : budget_(budget), held_(held), bytes_(bytes) {}
    BodyBudget* budget_;
    Held* held_;
    size_t bytes_;
  };

  // Reserves `bytes` for `address`; empty when either bound would be passed.
  std::optional<Hold> reserve(const std::string& address, size_t bytes);

  // Addresses with an entry: those holding bytes, and idle ones not yet
  // swept.
  size_t addresses();

 private:
  void release(Held& held, size_t bytes);

  const size_t total_;
  const size_t per_address_;
  std::mutex mu_;  // guards what follows
  size_t used_ = 0;
  AddressTable<Held> by_address_;
};

}  // namespace playground::http
