// The seccomp-bpf allowlist applied to Python just before it is executed.
//
//   if (!seccomp_policy::install()) report_failure("seccomp");
//
// Anything not listed fails with EPERM (Python raises PermissionError) rather
// than killing the process, so a snippet that tries a forbidden call gets an
// ordinary, explainable error. clone3 fails with ENOSYS so the C library falls
// back to clone, whose flags a filter can inspect.
#pragma once

#include <string_view>
#include <vector>

namespace playground::sandbox::seccomp_policy {

// System calls a Python program may make (names as in <sys/syscall.h>).
const std::vector<std::string_view>& allowed_syscalls();

// Builds the filter and loads it into the calling thread (and its future
// children). Requires no_new_privs. Returns false with errno set on failure.
bool install();

}  // namespace playground::sandbox::seccomp_policy
