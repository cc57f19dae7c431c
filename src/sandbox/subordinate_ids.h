// Subordinate ids: host uids and gids of a slot's own for sandboxes in a user
// namespace (a service that is not root).
//
//   std::string why;
//   auto ids = SubordinateIds::claim(/*slots=*/4, why);  // null: see `why`
//   ...keeper of slot 2 has unshared its user namespace...
//   map_keeper_ids(keeper_pid, ids->uid_base() + 2, ids->gid_base() + 2);
//
// A user namespace may map only its creator's own uid, unless a privileged
// helper writes the map: newuidmap and newgidmap (Debian's uidmap package)
// map the ranges /etc/subuid and /etc/subgid give the user. Each slot's
// keeper then maps two ids: 0 (the keeper, still the service's own uid on the
// host) and kSandboxUid (the sandboxes, a host uid of the slot's own). So no
// per-user kernel quota (pending signals, processes), lock or signal is
// shared between sandboxes, as with the uid ranges of a root service.
//
// Several services of one user share its ranges; each claims blocks of
// kSubordinateBlock ids by binding an abstract Unix socket named after the
// block, which the kernel releases when the process ends, crash included.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sandbox/shared/unique_fd.h"

namespace playground::sandbox {

inline constexpr int64_t kSubordinateBlock = 64;

struct IdRange {
  int64_t start = 0;
  int64_t count = 0;
  bool operator==(const IdRange&) const = default;
};

// The ranges of /etc/subuid's (or subgid's) `text` ("owner:start:count" per
// line) whose owner is `user` or the number `uid`, in the file's order.
// Malformed lines are skipped.
std::vector<IdRange> subordinate_ranges(std::string_view text,
                                        std::string_view user, uid_t uid);

class SubordinateIds {
 public:
  // Claims ids for `slots` slots from the service user's first ranges in
  // /etc/subuid and /etc/subgid, or says in `why` why it cannot (no
  // newuidmap, no range, every block taken by other services).
  static std::optional<SubordinateIds> claim(int slots, std::string& why);

  // Slot N's sandboxes run as host uid uid_base() + N, gid gid_base() + N.
  int64_t uid_base() const { return uid_base_; }
  int64_t gid_base() const { return gid_base_; }

 private:
  SubordinateIds() = default;
  int64_t uid_base_ = 0;
  int64_t gid_base_ = 0;
  std::vector<UniqueFd> locks_;  // the bound block sockets: the claim
};

// Writes the uid and gid maps of `pid`'s user namespace with newuidmap and
// newgidmap: 0 to the service's own ids, kSandboxUid to `uid` and `gid`.
// Blocking (two short-lived helper processes); the error carries their
// message.
Result<void> map_keeper_ids(pid_t pid, int64_t uid, int64_t gid);

}  // namespace playground::sandbox
