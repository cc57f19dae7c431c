// AddressTable<Entry>: state kept per client address, where an address's
// entry outlives its idle moments.
//
//   struct Held { size_t bytes = 0; bool idle() const { return bytes == 0; } };
//   AddressTable<Held> held;
//   Held& mine = held.at("203.0.113.7");   // made when new
//   mine.bytes += n;                        // ... and later -= n
//
// A client sends request after request: erasing its entry whenever it goes
// idle and making it again for the next request cost an allocation, a copy
// of the address and two lookups each time. Here an idle entry stays, and
// the idle ones are swept out when a new address finds the table at twice
// the size it had after the last sweep (at least kFirstSweep): the table
// holds at most twice the entries that were busy at the last sweep (a
// burst's idle entries go once as many new addresses have come), and the
// sweeps' cost, spread over the insertions that led to them, is constant
// per insertion.
//
// A reference to an entry stays valid as long as the entry is not idle
// (`Entry::idle()`): hold one only across such a time. Not thread-safe: the
// owner locks.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <unordered_map>

namespace playground {

template <typename Entry>
class AddressTable {
 public:
  static constexpr size_t kFirstSweep = 64;

  // The entry of `address`, default-made when there is none.
  Entry& at(const std::string& address) {
    auto [it, made] = entries_.try_emplace(address);
    if (made && entries_.size() > sweep_at_) sweep_idle_except(it->second);
    return it->second;
  }

  size_t size() const { return entries_.size(); }
  // (address, entry) pairs, idle ones included.
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  void sweep_idle_except(const Entry& keep) {
    std::erase_if(entries_, [&keep](const auto& kv) {
      return &kv.second != &keep && kv.second.idle();
    });
    sweep_at_ = std::max(kFirstSweep, 2 * entries_.size());
  }

  std::unordered_map<std::string, Entry> entries_;
  size_t sweep_at_ = kFirstSweep;
};

}  // namespace playground
