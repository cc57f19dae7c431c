// The inside of a sandbox: what playground-sandbox-init does as pid 1.
//
//   // in the child the keeper cloned (keeper.h):
//   contain::run_init(spec, filter);   // never returns
//
// run_init() and contain_python() each list their containment steps in order
// on one screen; policy.h says which layer each step belongs to. A step that
// fails reports "fail <step> <errno>" on the status descriptor and the run
// ends, so the service learns exactly which layer this machine refuses.
#pragma once

#include <cstdint>

#include "sandbox/inside/seccomp_policy.h"
#include "sandbox/shared/init_protocol.h"

namespace playground::sandbox::contain {

// Builds the sandbox's read-only root in the calling process's (new) mount
// namespace and, when `pivot`, makes it the root; done once by each keeper,
// whose clones then start from a copy of this small tree. `sandbox_uid`
// (0: 65534) is the user its /etc/passwd names "nobody". Failures are
// reported as "fail <step> <errno>" on `report_fd`.
bool prepare_root(int report_fd, bool pivot, const InitSpec& keeper_spec);

// `filter` is the compiled seccomp program, applied to Python when
// spec.seccomp is set.
[[noreturn]] void run_init(const InitSpec& spec,
                           const seccomp_policy::Program& filter);

}  // namespace playground::sandbox::contain
