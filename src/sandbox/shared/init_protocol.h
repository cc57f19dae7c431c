// The contract between the service and playground-sandbox-init.
//
// One keeper per cgroup slot: the service starts
// `playground-sandbox-init keeper <spec fields>` once, with a SOCK_SEQPACKET
// socket at fd 3, and places it in the slot's cgroup. For each run the service
// sends the keeper a spawn request (encode_spawn_request) with six descriptors
// attached; the keeper clones a sandbox init into new namespaces (born in the
// slot's cgroup, so no per-run cgroup migration) and answers with its pidfd.
// The init then sees these descriptors:
//   0 stdin of Python      1 stdout of Python     2 stderr of Python
//   3 code (Python reads the program here until EOF; see python_startup.h)
//   4 status (the init writes report lines here; Python never has it)
//   5 ready (Python writes one byte once started, then closes it)
// Requests carry only settings chosen by the operator, never anything from
// an HTTP request.
//
// Keeper replies: "ok <pid>" with the pidfd attached, or "fail <step> <errno>".
// Descriptors travel over the socket by fd_passing.h.
// Report lines on fd 4, one per event:
//   "fail <step> <errno>\n"                              a step failed
//   "memory <kb>\n"                                      the run passed
//                                                       memory_watch_bytes
//   "exit <exit_code> <signal> <cpu_us> <maxrss_kb>\n"   Python ended
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sandbox/shared/policy.h"
#include "sandbox/shared/step.h"

namespace playground::sandbox {

constexpr int kCodeFd = 3;
constexpr int kStatusFd = 4;
constexpr int kReadyFd = 5;
constexpr int kSpawnFdCount = 6;    // descriptors 0..5 above
constexpr int kKeeperSocketFd = 3;  // the keeper's end of its socket
constexpr int kSandboxUid = 65534;
constexpr int kSandboxGid = 65534;
// Without a pid namespace sandboxes could signal or ptrace-inspect each
// other's processes were they one user; each slot then runs as its own uid.
constexpr int kSlotUidBase = 200000;
// With a uid range per service process (LaunchConfig::uid_base): where the
// ranges start, and how many uids (slots) each holds.
constexpr int64_t kServiceUidStart = 1 << 20;
constexpr int64_t kUidsPerService = 4096;  // slots: at most 1024 + 1024

// What the keeper and the init apply, decided by the service from its
// configuration and the start-up self-test (launcher.h, make_init_spec). One
// encoding (encode_spec) carries it both as the keeper's argv and in each
// spawn request.
struct InitSpec {
  std::string python = "/usr/bin/python3";
  // Cloned into kSandboxNamespaces (policy.h). The init then names its uts
  // namespace and brings up the loopback of its own network namespace, where
  // seccomp allows local sockets, as nothing outside can be reached.
  bool namespaces = true;
  bool filesystem = true;       // private read-only root (needs a mount ns)
  bool drop_privileges = true;  // uid/gid 65534, or no caps in a user ns
  bool user_namespace = false;  // the init runs as root of a user namespace
  // In that user namespace the service maps `uid` to a host uid of the
  // slot's own (subordinate_ids.h): the keeper asks for the map ("map",
  // answered "mapped") instead of writing its own, and Python drops to
  // `uid` as it does under a root service.
  bool mapped_uid = false;
  bool seccomp = true;
  int64_t uid = kSandboxUid;  // and gid; named "nobody" in the root's passwd
  // The keeper's: the service that started it. Inside a container the
  // service is pid 1, so "reparented to pid 1" cannot tell whether it died.
  int64_t parent = 0;
  std::vector<Rlimit> rlimits;  // Python's (policy.h, kRlimits)
  // Module directories of Debian's (dist-packages under /usr/lib/python3*)
  // the keeper covers with an empty read-only tmpfs in its root.
  std::vector<std::string> hidden_dirs;
  int64_t tmp_bytes = 16LL << 20;
  int64_t tmp_inodes = 4096;
  // Without a memory cgroup: the init sums its processes' memory (PSS)
  // every few ms and ends the run past this many bytes. 0: off.
  int64_t memory_watch_bytes = 0;
  // OPENBLAS_NUM_THREADS and OMP_NUM_THREADS in Python's environment; 0:
  // neither is set.
  int64_t blas_threads = 1;

  bool operator==(const InitSpec&) const = default;
};

// A directory InitSpec::hidden_dirs may name: /usr/lib/python3/dist-packages
// or /usr/lib/python3.N/dist-packages, nothing else.
bool is_hideable_module_dir(std::string_view dir);

// The spec as "key=value" fields, and back (unknown keys, malformed values
// and a relative python are refused).
std::vector<std::string> encode_spec(const InitSpec& spec);
Result<InitSpec> decode_spec(const std::vector<std::string_view>& fields);

// How the service starts a keeper: `playground-sandbox-init keeper` and the
// spec's fields.
std::vector<std::string> keeper_argv(const InitSpec& spec);
// The spec of a keeper's argv; an error when argv[1] is not "keeper".
Result<InitSpec> decode_keeper_argv(int argc, const char* const* argv);

// A keeper request: "spawn" and the spec's fields, NUL-separated.
std::string encode_spawn_request(const InitSpec& spec);
Result<InitSpec> decode_spawn_request(std::string_view message);

// One slot's spawn request, encoded again only when its spec changes: a
// slot asks with the same spec run after run, and encoding it (some twenty
// fields through std::to_string) cost more than the rest of a spawn's work.
class SpawnRequestCache {
 public:
  const std::string& encode(const InitSpec& spec);

 private:
  InitSpec spec_;
  std::string request_;  // empty: nothing encoded yet
};

// A step that failed, as the init and the keeper report it:
// "fail <step> <errno>\n" (step.h names the steps).
struct StepFailure {
  Step step = Step::unknown;
  int err = 0;
  // "sandbox step "mount-proc" failed: Permission denied", coded by the step.
  Error error() const;
};
std::string failure_line(Step step, int err);
// The failure a line starting with "fail" reports; Step::unknown (and EPROTO)
// for what cannot be read, so a garbled report is never taken for success.
StepFailure parse_failure_line(std::string_view line);

// What the init reported for one run.
struct InitReport {
  bool exited = false;  // an "exit" line arrived
  int exit_code = 0;    // when Python exited normally
  int signal = 0;       // when a signal ended Python
  int64_t cpu_us = 0;
  int64_t maxrss_kb = 0;
  std::optional<StepFailure> failure;  // the first "fail" line
  int64_t memory_exceeded_kb = 0;  // from a "memory" line: the run was ended
};

InitReport parse_report(std::string_view lines);

}  // namespace playground::sandbox
