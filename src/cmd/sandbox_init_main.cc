// playground-sandbox-init: the per-slot keeper and pid 1 of every sandbox.
//
// Started only by playground-backend as `playground-sandbox-init keeper
// <spec fields>` with its socket at fd 3 (see sandbox/shared/init_protocol.h
// and sandbox/inside/keeper.h); each sandbox init is a clone of the keeper. Not
// meant to be run by hand.
#include <cstdio>
#include <cstring>

#include "sandbox/inside/keeper.h"
#include "sandbox/shared/init_protocol.h"

int main(int argc, char** argv) {
  namespace sandbox = playground::sandbox;
  if (auto spec = sandbox::decode_keeper_argv(argc, argv)) {
    sandbox::keeper::serve(sandbox::kKeeperSocketFd, *spec);
  }
  std::fprintf(stderr,
               "playground-sandbox-init: this program is started by "
               "playground-backend,\n"
               "which runs it as `playground-sandbox-init keeper` with a "
               "socket on fd 3.\n");
  return 2;
}
