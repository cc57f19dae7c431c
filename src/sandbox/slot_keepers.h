// SlotKeepers: the service's side of the per-slot keeper processes.
//
//   SlotKeepers keepers(init_path, cgroups, /*count=*/4, {.filesystem = true});
//   auto spawned = co_await keepers.spawn(slot, spec, fds);
//   // spawned->pidfd: the new sandbox init, born in the slot's cgroups
//
// A keeper is started on first use (or by start_all) and placed in its
// slot's cgroups once; if it dies it is started again on the next spawn,
// without blocking the caller's loop: the cgroup move (which waits for an
// RCU grace period) runs on a worker thread, and the keeper's "ready" is
// awaited on the loop with a deadline. See keeper.h for why keepers exist.
#pragma once

#include <sys/types.h>

#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/task.h"
#include "sandbox/cgroup.h"
#include "sandbox/shared/init_protocol.h"
#include "sandbox/shared/unique_fd.h"

namespace playground::sandbox {

// What every keeper of a service shares; the rest of a keeper's InitSpec
// (its sandboxes' uid, the service's pid) is per slot.
struct KeeperOptions {
  bool user_namespace = false;  // enter a user namespace first (not root)
  bool filesystem = true;       // build the sandbox root once, for every clone
  std::vector<std::string> hidden_dirs;  // InitSpec::hidden_dirs
  // In the user namespace, slot N's sandboxes are host uid and gid
  // mapped_*_base + N (subordinate ids, mapped by the service); 0: they
  // share the service's uid.
  int64_t mapped_uid_base = 0;
  int64_t mapped_gid_base = 0;
};

class SlotKeepers {
 public:
  // `cgroups` may be null: keepers then stay in the service's cgroup.
  // `uid_base` (0: none) + slot is the uid of each slot's sandboxes.
  SlotKeepers(std::string init_path, CgroupSlots* cgroups, int count,
              KeeperOptions options, int64_t uid_base = 0);
  ~SlotKeepers();
  SlotKeepers(const SlotKeepers&) = delete;
  SlotKeepers& operator=(const SlotKeepers&) = delete;

  // Starts every keeper now, so the first requests pay nothing (blocking:
  // at start-up, before anything is served).
  Result<void> start_all();

  struct Spawned {
    pid_t pid;
    UniqueFd pidfd;
  };
  // Asks slot's keeper to clone an init that applies `spec`, with `fds` as
  // its 0..5. The fds stay owned by the caller (the keeper gets copies).
  Task<Result<Spawned>> spawn(int slot, const InitSpec& spec,
                              const int (&fds)[kSpawnFdCount]);

  pid_t keeper_pid(int slot) const;
  int count() const { return static_cast<int>(keepers_.size()); }

 private:
  struct Keeper;
  // Spawns slot's keeper process, not yet placed nor known to be ready.
  Result<std::unique_ptr<Keeper>> launch(int slot);
  // Moves a launched keeper into slot's cgroups on the worker thread (the
  // move waits for an RCU grace period).
  Task<Result<void>> place_async(int slot, pid_t pid);
  // Waits on the loop, up to kReadyTimeoutMs, for the keeper's next answer.
  static Task<Result<void>> await_answer(int socket);
  // Whether keepers ask the service to map their sandboxes' uid.
  bool maps_ids() const;
  // When the answer waiting is the keeper's "map": writes its maps
  // (blocking: newuidmap and newgidmap) and answers "mapped"; true then.
  Result<bool> map_if_asked(int slot, const Keeper& keeper) const;
  // One request to a started keeper and its answer; `gone` when the keeper
  // did not take it or did not answer (it died: start another).
  static Task<Result<Spawned>> ask(Keeper& keeper, const std::string& request,
                                   const int (&fds)[kSpawnFdCount], bool& gone);
  // The keeper's first answer, already waiting on its socket: "ready", or
  // "fail <step> <errno>" (empty: it closed or did not answer in time).
  static Result<void> read_ready(int socket);
  Result<void> start(int slot);  // blocking, for start_all
  Task<Result<void>> start_async(int slot);

  std::string init_path_;
  CgroupSlots* cgroups_;
  KeeperOptions options_;
  int64_t uid_base_;
  std::vector<std::unique_ptr<Keeper>> keepers_;
  std::vector<SpawnRequestCache> requests_;  // per slot
  // Runs the cgroup moves of keepers started while serving.
  boost::asio::thread_pool blocking_{1};
};

}  // namespace playground::sandbox
