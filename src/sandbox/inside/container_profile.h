// The seccomp profile for the backend's container (Docker's and Kubernetes'
// JSON format), derived from the sandbox's own allowlist:
//
//   std::cout << container_profile::json();   //
//   deploy/docker/seccomp-backend.json
//
// A container filter applies to everything in the container, the sandboxed
// Python included, so it must allow what Python may do (the inner allowlist,
// seccomp_policy::allowed_syscalls) plus what the service needs to serve HTTP
// and to build sandboxes (namespaces, mounts, identity changes, its own
// filter). Everything else fails with EPERM. Compared with a container
// runtime's default profile plus CAP_SYS_ADMIN, this leaves out bpf,
// perf_event_open, keyctl, ptrace, io_uring, module and kexec calls, setns,
// the new mount API and the rest a sandbox builder never calls.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace playground::sandbox::container_profile {

// What the service and the sandbox init call beyond the inner allowlist.
const std::vector<std::string_view>& service_syscalls();

// Every syscall the profile allows: both lists, sorted, without duplicates.
std::vector<std::string> allowed_syscalls();

// The profile as JSON text (stable: the committed file is compared with it).
std::string json();

}  // namespace playground::sandbox::container_profile
