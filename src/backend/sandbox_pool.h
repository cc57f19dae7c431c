// SandboxPool: sandboxes started ahead of time, each used once.
//
//   SandboxPool pool(config, cgroups, keepers, /*slots=*/8, /*max_ready=*/4,
//                    "numpy pandas", registry);
//   pool.start(executor);
//   auto lease = co_await pool.take(SandboxKind::plain);  // warm, or new
//   co_await lease->box().run(code, stdin, deadline);
//   co_await lease->end();  // the sandbox ended, its slot free again; the
//                           // pool starts a replacement in the background
//
// A pooled sandbox is fully contained (every layer applied) with Python
// initialised and blocked reading its code; handing it code is all that is
// left. It is never reused: each run gets a new interpreter, so no hash
// secret, address layout, file or global survives from one run to the next.
// Two kinds are kept (sandbox_kind.h): plain ones, and data ones whose
// Python also imported numpy and pandas. Each kind is sized to its own load,
// the peak number of its concurrent runs in the last few seconds plus one
// (plain: at least one; data: none without recent data runs), together at
// most `max_ready`, shared in proportion when both want more.
#pragma once

#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/sandbox_kind.h"
#include "common/metrics.h"
#include "common/result.h"
#include "common/task.h"
#include "sandbox/cgroup.h"
#include "sandbox/launcher.h"
#include "sandbox/slot_keepers.h"

namespace playground::backend {

class SandboxPool {
 public:
  // `slots` cgroup slots (and keepers) are shared between running and
  // pooled sandboxes: at least running + max_ready. `data_preload`: what a
  // data sandbox imports ("numpy pandas"); "" keeps none of that kind.
  SandboxPool(const sandbox::LaunchConfig& config,
              sandbox::CgroupSlots* cgroups, sandbox::SlotKeepers& keepers,
              int slots, int max_ready, std::string data_preload,
              metrics::Registry& registry);
  ~SandboxPool();

  // One sandbox, owned until the lease ends; ending it frees the slot.
  class Lease {
   public:
    Lease(SandboxPool* pool, std::unique_ptr<sandbox::SandboxProcess> box,
          std::optional<SandboxKind> running_as = std::nullopt);
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    sandbox::SandboxProcess& box() { return *box_; }
    // Ends the sandbox without blocking the loop and frees its slot; the
    // destructor does the same, blocking, for a lease not ended so.
    Task<void> end();
    bool pooled = false;  // taken ready from the pool (else started for it)

   private:
    void done(int slot);  // frees the slot; the run (if one) has ended
    SandboxPool* pool_;
    std::unique_ptr<sandbox::SandboxProcess> box_;
    std::optional<SandboxKind> running_as_;  // a run's lease: counted
  };

  // Starts filling and the sizing loop.
  void start(Executor executor);
  // Ends pooled sandboxes and stops refilling (shutdown). Leases still work.
  void stop();

  // A warm pooled sandbox of `kind` if there is one, else one of that kind
  // still starting, else (for data) a plain one, else one started now.
  Task<Result<Lease>> take(SandboxKind kind);

  int ready(SandboxKind kind) const;
  int target(SandboxKind kind) const;
  bool keeps_data() const { return !data_preload_.empty(); }

 private:
  static constexpr int kWindowSeconds = 10;
  static constexpr std::chrono::milliseconds kRefillDelay{20};
  // The pooled sandboxes of one kind, and its recent load.
  struct Shelf {
    std::deque<std::unique_ptr<sandbox::SandboxProcess>> ready;
    int starting = 0;
    int target = 0;
    int running = 0;  // leases of runs of this kind now
    // Peak concurrent runs per second over the sizing window.
    std::array<int, kWindowSeconds> peaks{};
  };
  Shelf& shelf(SandboxKind kind) { return shelves_[static_cast<int>(kind)]; }
  const Shelf& shelf(SandboxKind kind) const {
    return shelves_[static_cast<int>(kind)];
  }

  void release_slot(int slot);
  // Ends a sandbox the pool no longer wants in the background (see
  // SandboxProcess::finish), then frees its slot.
  void retire(std::unique_ptr<sandbox::SandboxProcess> box);
  std::optional<int> claim_slot();
  // Each kind's target from its recent peaks, within max_ready.
  void retarget();
  void refill();
  // A refill after a run took a warm sandbox: once a slot is freed (the
  // run's own, usually a few ms later) or after kRefillDelay, whichever is
  // first. Starting a sandbox (a clone into six new namespaces, an
  // interpreter's start) beside a run takes the CPU and the kernel's
  // namespace locks from it: at 20 requests a second, `os._exit(0)` took
  // 3.8-4.3 ms at the median and 8.0-8.9 ms at p90 with the refill at once,
  // 3.3-4.0 and 4.0-5.5 ms with it after.
  void refill_soon();
  void resize();
  // The first pooled sandbox of `kind`: warm if one is, else any.
  std::unique_ptr<sandbox::SandboxProcess> take_pooled(SandboxKind kind);
  Task<void> fill_one(int slot, SandboxKind kind);
  std::string_view preload_for(SandboxKind kind) const;

  const sandbox::LaunchConfig& config_;
  sandbox::CgroupSlots* cgroups_;
  sandbox::SlotKeepers& keepers_;
  const int max_ready_;
  const std::string data_preload_;
  std::vector<int> free_slots_;
  std::array<Shelf, kSandboxKinds> shelves_;
  bool stopped_ = true;
  size_t current_second_ = 0;
  std::optional<Executor> executor_;  // set by start()
  std::unique_ptr<Timer> sizing_timer_;
  std::unique_ptr<Timer> refill_timer_;
  bool refill_pending_ = false;
  metrics::Counter& taken_warm_;
  metrics::Counter& taken_cold_;
  metrics::Counter& started_now_;
  metrics::Counter& data_taken_warm_;
};

}  // namespace playground::backend
