// The inside of a sandbox: what playground-sandbox-init does as pid 1.
//
//   int main(int argc, char** argv) {
//     auto spec = from_args(argc, argv);
//     contain::run_init(*spec);   // never returns
//   }
//
// run_init() and contain_python() each list their containment steps in order
// on one screen; policy.h says which layer each step belongs to. A step that
// fails reports "fail <step> <errno>" on the status descriptor and the run
// ends, so the service learns exactly which layer this machine refuses.
#pragma once

#include "sandbox/init_protocol.h"

namespace playground::sandbox::contain {

[[noreturn]] void run_init(const InitSpec& spec);

}  // namespace playground::sandbox::contain
