// The contract between the service and playground-sandbox-init.
//
// One keeper per cgroup slot: the service starts
// `playground-sandbox-init keeper` once, with a SOCK_SEQPACKET socket at
// fd 3, and places it in the slot's cgroup. For each run the service sends
// the keeper a spawn request (encode_spawn_request) with six descriptors
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
#include "sandbox/step.h"

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

// What the init applies, decided by the service from its configuration and
// the start-up self-test.
struct InitSpec {
  std::string python = "/usr/bin/python3";
  bool filesystem = true;       // private read-only root (needs a mount ns)
  bool hostname = true;         // set the uts namespace's hostname
  bool drop_privileges = true;  // uid/gid 65534, or no caps in a user ns
  bool user_namespace = false;  // the init runs as root of a user namespace
  bool seccomp = true;
  // In a network namespace of its own (only a loopback, brought up for it):
  // local sockets are then allowed, as nothing outside can be reached.
  bool private_network = false;
  int64_t uid = kSandboxUid;  // and gid
  int64_t cpu_seconds = 5;
  int64_t address_space_bytes = 1LL << 30;
  int64_t file_size_bytes = 16LL << 20;
  int64_t open_files = 256;
  int64_t max_processes = 0;  // RLIMIT_NPROC; 0 leaves it to the pids cgroup
  int64_t tmp_bytes = 16LL << 20;
  int64_t tmp_inodes = 4096;
  // Without a memory cgroup: the init sums its processes' memory (PSS)
  // every few ms and ends the run past this many bytes. 0: off.
  int64_t memory_watch_bytes = 0;
};

std::vector<std::string> to_args(const InitSpec& spec);
Result<InitSpec> from_args(int argc, const char* const* argv);

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

// A keeper request: the clone flags and the spec, as NUL-separated text.
std::string encode_spawn_request(int clone_flags, const InitSpec& spec);
struct SpawnRequest {
  int clone_flags = 0;
  InitSpec spec;
};
Result<SpawnRequest> decode_spawn_request(std::string_view message);

}  // namespace playground::sandbox
