// playground-sandbox-init: pid 1 of every sandbox (see sandbox/contain.h).
//
// Started only by playground-backend, with the descriptors and arguments of
// sandbox/init_protocol.h; not meant to be run by hand.
#include <unistd.h>

#include <cstdio>

#include "sandbox/contain.h"
#include "sandbox/init_protocol.h"

int main(int argc, char** argv) {
  auto spec = playground::sandbox::from_args(argc, argv);
  if (!spec) {
    std::fprintf(
        stderr,
        "playground-sandbox-init: %s\n"
        "This program is started by playground-backend for each sandbox.\n",
        spec.error().message.c_str());
    return 2;
  }
  playground::sandbox::contain::run_init(*spec);
}
