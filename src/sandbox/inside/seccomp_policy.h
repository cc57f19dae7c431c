// The seccomp-bpf allowlist applied to Python just before it is executed.
//
//   if (!seccomp_policy::install()) report_failure("seccomp");
//
// Anything not listed fails with EPERM (Python raises PermissionError) rather
// than killing the process, so a snippet that tries a forbidden call gets an
// ordinary, explainable error. clone3 fails with ENOSYS so the C library falls
// back to clone, whose flags a filter can inspect.
#pragma once

#include <linux/filter.h>

#include <string_view>
#include <vector>

namespace playground::sandbox::seccomp_policy {

// System calls a Python program may make (names as in <sys/syscall.h>).
const std::vector<std::string_view>& allowed_syscalls();

// What a program in a network namespace of its own may also do: sockets of
// the local kinds only (AF_UNIX, AF_INET, AF_INET6; socketpair AF_UNIX) and
// the calls that use them. Its only interface is its own loopback, so they
// reach nothing outside; netlink, packet and every other family stay
// refused. Never allowed without that namespace.
const std::vector<std::string_view>& local_socket_syscalls();

// The filter as a BPF program, ready to load.
struct Program {
  std::vector<sock_filter> instructions;
};

// Builds the filter with libseccomp (a binary tree of syscall numbers, so a
// syscall costs a few comparisons). Done once per keeper and kind: building
// costs about a millisecond, loading a built program a few microseconds.
// `private_network` adds local_socket_syscalls(). Returns false with errno
// set on failure.
bool compile(Program& out, bool private_network = false);

// Loads `program` into the calling thread (and its future children).
// Requires no_new_privs. Returns false with errno set on failure.
bool load(const Program& program);

// compile() then load(), for callers that run the filter once.
bool install(bool private_network = false);

}  // namespace playground::sandbox::seccomp_policy
