// SandboxProcess: one sandbox, from clone to the end of its single run.
//
//   auto box = co_await SandboxProcess::start(config, keepers, cgroups, slot);
//   if (!box) return box.error();            // the machine refused a layer
//   Result<RunResult> r = co_await (*box)->run(code, stdin, 5000ms, stop);
//
// start() has the slot's keeper clone a sandbox init into new namespaces,
// born in the slot's cgroups; the init builds the sandbox and starts Python,
// which then waits for its code. run() hands over code and stdin through pipes,
// collects stdout and stderr up to the output cap, enforces the deadline and
// kills the whole sandbox at the end. A sandbox is never reused.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/task.h"
#include "sandbox/cgroup.h"
#include "sandbox/run_result.h"
#include "sandbox/shared/init_protocol.h"
#include "sandbox/shared/policy.h"
#include "sandbox/shared/unique_fd.h"
#include "sandbox/slot_keepers.h"
#include "sandbox/subordinate_ids.h"

namespace playground::sandbox {

struct LaunchConfig {
  std::string init_path;  // playground-sandbox-init
  std::string python_path = "/usr/bin/python3";
  Limits limits;
  Isolation isolation;  // the layers to apply
  // Slot N's sandboxes run as uid_base + N: a range of its own per service
  // process (pick_uid_base), so no per-user kernel quota, lock or signal
  // queue is shared between sandboxes, here or in another backend on the
  // host. 0: uid 65534 for all (the tests' fixed configurations).
  int64_t uid_base = 0;
  // In a user namespace (not root), the same from the service user's
  // subordinate ids (subordinate_ids.h): slot N's sandboxes run as
  // kSandboxUid inside, host uid mapped_uid_base + N and gid
  // mapped_gid_base + N. 0: they share the service's uid.
  int64_t mapped_uid_base = 0;
  int64_t mapped_gid_base = 0;
};

// A random range of kUidsPerService uids among 500,000, above those the
// system and container runtimes use: two services on one host share one
// with a chance of one in 500,000.
int64_t pick_uid_base();

// The uid and gid `slot`'s sandboxes run as.
int64_t slot_uid(const LaunchConfig& config, int slot);

// The InitSpec a configuration asks the init of `slot` to apply: the one
// translation of (Isolation, Limits) into what the keeper and init do.
InitSpec make_init_spec(const LaunchConfig& config, int slot);

class SandboxProcess {
 public:
  // `preload`: modules (space-separated) its Python imports before it is
  // warm, e.g. "numpy pandas" for data snippets; "" for none.
  static Task<Result<std::unique_ptr<SandboxProcess>>> start(
      const LaunchConfig& config, SlotKeepers& keepers, CgroupSlots* cgroups,
      int slot, std::string_view preload = "");
  ~SandboxProcess();
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  // Runs `code` with `stdin_data`; ends it after `wall`. Call at most once.
  // A stop on `cancel` kills the sandbox at once (SIGKILL, no grace) and the
  // run fails with step "cancelled". Returns as soon as every process of the
  // run has ended (the init reports once it has reaped them all); the
  // init's own exit may still be under way: finish() before the slot is
  // reused.
  Task<Result<RunResult>> run(std::string code, std::string stdin_data,
                              std::chrono::milliseconds wall,
                              std::stop_token cancel = {});

  // Ends the sandbox without blocking the caller's loop: SIGKILL to its
  // init, its exit awaited (5 s at most), then whatever is left in its slot
  // killed on a timer until none is. Afterwards the slot may be reused and
  // the destructor waits for nothing (without finish() it ends the sandbox
  // itself, blocking: for shutdown only).
  Task<void> finish();

  pid_t pid() const { return pid_; }
  int slot() const { return slot_; }
  // True once Python has started and waits for its code (never blocks).
  bool warm();
  // True once the sandbox has ended, e.g. killed while waiting in a pool.
  bool exited();

 private:
  SandboxProcess() = default;
  // Asks the init to end Python and report how it ended (SIGTERM).
  void end_run();
  // Ends the whole sandbox at once (SIGKILL to its pid 1).
  void kill();
  // Kills whatever the run left: the slot's cgroup, or without namespaces
  // and cgroups every process of the slot's own uid.
  void kill_leftovers();
  // kill_leftovers() on the loop: cgroup passes 1 ms apart, never a sleep.
  Task<void> empty_slot();
  void wait_exit(std::chrono::milliseconds timeout);
  // One run's pipes, timers and outcome while it is supervised.
  struct Run;

  const LaunchConfig* config_ = nullptr;
  CgroupSlots* cgroups_ = nullptr;
  int slot_ = -1;
  uint64_t oom_kills_before_ = 0;
  pid_t keeper_ = -1;  // spared when the slot's cgroup is emptied
  pid_t pid_ = -1;
  UniqueFd pidfd_;
  bool exited_ = false;
  bool finished_ = false;  // finish() done: nothing left to end
  bool warm_ = false;
  // CPU time Python spent importing `preload` before it was warm: not the
  // program's, so not in its cpu_ms.
  int64_t preload_cpu_us_ = 0;
  // Our ends of the init's pipes, by its descriptor number (init_protocol.h):
  // stdin and code written, stdout, stderr, status and ready read.
  UniqueFd pipes_[kSpawnFdCount];
};

}  // namespace playground::sandbox
