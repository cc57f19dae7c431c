// playground-seccomp-profile: prints the backend container's seccomp profile
// (see sandbox/inside/container_profile.h). `make seccomp-profile` writes it to
// deploy/docker/seccomp-backend.json; a unit test fails when they differ.
#include <iostream>
#include <string_view>

#include "sandbox/inside/container_profile.h"

int main(int argc, char** argv) {
  if (argc > 1) {
    std::string_view arg = argv[1];
    if (arg == "--help" || arg == "-h") {
      std::cout << "Usage: playground-seccomp-profile\n\n"
                   "Prints the seccomp profile (Docker and Kubernetes JSON) "
                   "the backend's container\nruns under: the sandbox's "
                   "allowlist plus what the service needs.\n";
      return 0;
    }
    std::cerr << "playground-seccomp-profile: takes no arguments; see --help\n";
    return 2;
  }
  std::cout << playground::sandbox::container_profile::json();
  return 0;
}
