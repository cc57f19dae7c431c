// Service: what answers the backend's API. The sandbox slots (a cgroup and
// a keeper each), the pool of pre-started sandboxes, admission and the
// evaluator, wired once the sandbox self-test has decided how much
// isolation they get.
//
//   if (auto found = backend::find_programs(cfg); !found) die(found.error());
//   auto service = backend::Service::start(cfg, io, registry);
//   if (!service) return 1;  // why is logged
//   http::Server server(io, options, service->routes(), registry);
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "backend/admission.h"
#include "backend/api.h"
#include "backend/config.h"
#include "backend/evaluator.h"
#include "backend/sandbox_pool.h"
#include "common/metrics.h"
#include "common/result.h"
#include "http/route.h"
#include "sandbox/cgroup.h"
#include "sandbox/launcher.h"
#include "sandbox/probe.h"
#include "sandbox/slot_keepers.h"

namespace playground::backend {

// Sets --init's default (playground-sandbox-init beside this program) and
// checks that it and --python can be executed; the error says which not.
Result<void> find_programs(BackendConfig& cfg);

class Service {
 public:
  // Runs the sandbox self-test on `io` (io.run() until it is done: call it
  // before anything else uses `io`) and logs what it found, then starts the
  // keepers and the pool. Null when the backend must not run (logged):
  // --isolation=strict with a layer missing, or no keepers. A failed
  // self-test is not that: evaluations are refused, /readyz says why.
  static std::unique_ptr<Service> start(const BackendConfig& cfg,
                                        boost::asio::io_context& io,
                                        metrics::Registry& registry);
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  std::vector<http::Route> routes() { return make_routes(api_); }
  int running() const { return admission_.running(); }
  // No more pre-started sandboxes; the running ones finish.
  void stop_prestarting() { pool_.stop(); }
  // Ends every sandbox and its cgroup now, for a process about to leave
  // without unwinding (requests still suspended reference this).
  void end_sandboxes() { cgroups_.reset(); }

  // The sandbox as the self-test left it: how to launch, the slots' cgroups.
  struct Sandbox {
    sandbox::LaunchConfig launch;
    std::unique_ptr<sandbox::CgroupSlots> cgroups;
    sandbox::ProbeResult probe;
    // Not root: the host uids and gids of the slots' sandboxes, if the
    // service's user has any (held for the service's life).
    std::optional<sandbox::SubordinateIds> subordinate_ids;
  };

 private:
  Service(const BackendConfig& cfg, Sandbox sandbox,
          metrics::Registry& registry);

  // The pool, keepers and evaluator reference the launch configuration and
  // the cgroups: those come first, and go last.
  sandbox::LaunchConfig launch_;
  std::unique_ptr<sandbox::CgroupSlots> cgroups_;
  std::optional<sandbox::SubordinateIds> subordinate_ids_;
  sandbox::ProbeResult probe_;
  Admission admission_;
  sandbox::SlotKeepers keepers_;
  SandboxPool pool_;
  Evaluator evaluator_;
  BackendApi api_;
};

}  // namespace playground::backend
