// SandboxPool: sandboxes started ahead of time, each used once.
//
//   SandboxPool pool(config, cgroups, keepers, /*slots=*/8, /*max_ready=*/4,
//   registry); pool.start(executor); auto lease = co_await pool.take(); // a
//   warm sandbox, or a new one co_await lease->box->run(code, stdin, deadline);
//   co_await lease->end();  // the sandbox ended, its slot free again; the
//   // pool starts a replacement in the background
//
// A pooled sandbox is fully contained (every layer applied) with Python
// initialised and blocked reading its code; handing it code is all that is
// left. It is never reused: each run gets a new interpreter, so no hash
// secret, address layout, file or global survives from one run to the next.
// The pool is sized to the load: the peak number of concurrent runs seen in
// the last few seconds plus one, at least one, at most `max_ready`.
#pragma once

#include <array>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "common/metrics.h"
#include "common/result.h"
#include "sandbox/cgroup.h"
#include "sandbox/launcher.h"
#include "sandbox/slot_keepers.h"

namespace playground::backend {

class SandboxPool {
 public:
  // `slots` cgroup slots (and keepers) are shared between running and
  // pooled sandboxes: at least running + max_ready.
  SandboxPool(const sandbox::LaunchConfig& config,
              sandbox::CgroupSlots* cgroups, sandbox::SlotKeepers& keepers,
              int slots, int max_ready, metrics::Registry& registry);
  ~SandboxPool();

  // One sandbox, owned until the lease ends; ending it frees the slot.
  class Lease {
   public:
    Lease(SandboxPool* pool, std::unique_ptr<sandbox::SandboxProcess> box);
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    sandbox::SandboxProcess& box() { return *box_; }
    // Ends the sandbox without blocking the loop and frees its slot; the
    // destructor does the same, blocking, for a lease not ended so.
    boost::asio::awaitable<void> end();
    bool pooled = false;  // taken ready from the pool (else started for it)

   private:
    SandboxPool* pool_;
    std::unique_ptr<sandbox::SandboxProcess> box_;
  };

  // Starts filling and the sizing loop.
  void start(boost::asio::any_io_executor executor);
  // Ends pooled sandboxes and stops refilling (shutdown). Leases still work.
  void stop();

  // A warm pooled sandbox if there is one, else any pooled one, else one
  // started now. `running` is how many runs are in progress including this
  // one; it sizes the pool.
  boost::asio::awaitable<Result<Lease>> take(int running);

  int ready() const { return static_cast<int>(ready_.size()); }
  int target() const { return target_; }

 private:
  void release_slot(int slot);
  // Ends a sandbox the pool no longer wants in the background (see
  // SandboxProcess::finish), then frees its slot.
  void retire(std::unique_ptr<sandbox::SandboxProcess> box);
  std::optional<int> claim_slot();
  void refill();
  void resize();
  boost::asio::awaitable<void> fill_one(int slot);

  const sandbox::LaunchConfig& config_;
  sandbox::CgroupSlots* cgroups_;
  sandbox::SlotKeepers& keepers_;
  const int max_ready_;
  std::vector<int> free_slots_;
  std::deque<std::unique_ptr<sandbox::SandboxProcess>> ready_;
  int starting_ = 0;
  int target_ = 1;
  bool stopped_ = true;
  // Peak concurrent runs per second over the sizing window.
  static constexpr int kWindowSeconds = 10;
  std::array<int, kWindowSeconds> peaks_{};
  size_t current_second_ = 0;
  boost::asio::any_io_executor executor_;
  std::unique_ptr<boost::asio::steady_timer> sizing_timer_;
  metrics::Counter& taken_warm_;
  metrics::Counter& taken_cold_;
  metrics::Counter& started_now_;
};

}  // namespace playground::backend
