// Being a container's pid 1: `docker run` and Kubernetes start the backend as
// pid 1 of its container, and pid 1 inherits every orphan. A sandbox init
// whose keeper died is such an orphan; unreaped, it would stay a zombie.
//
//   int main() {
//     if (auto status = backend::run_as_container_init()) return *status;
//     ... the service, now pid 2 ...
//   }
//
// As pid 1 the program forks: the parent stays behind as a minimal init
// (forwards SIGTERM and the other termination signals to the service, reaps
// every child, exits with the service's status) and the child goes on to be
// the service. Anywhere else it does nothing.
#pragma once

#include <optional>

namespace playground::backend {

// std::nullopt in the process that should go on being the service; the exit
// status to return in the init that stayed behind.
std::optional<int> run_as_container_init();

}  // namespace playground::backend
