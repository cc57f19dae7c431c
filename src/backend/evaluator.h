// Evaluator: runs one evaluation request from admission to result.
//
//   Result<RunResult> r = co_await evaluator.evaluate(request);
//   // r.error().code: 503 when the queue is full, 500 when the sandbox failed
//
// Owns the sandbox configuration and the metrics of evaluations.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "backend/admission.h"
#include "backend/eval_request.h"
#include "common/metrics.h"
#include "common/result.h"
#include "sandbox/cgroup.h"
#include "sandbox/launcher.h"
#include "sandbox/slot_keepers.h"

namespace playground::backend {

class Evaluator {
 public:
  Evaluator(sandbox::LaunchConfig config, sandbox::CgroupSlots* cgroups,
            sandbox::SlotKeepers& keepers, Admission& admission,
            metrics::Registry& registry);

  boost::asio::awaitable<Result<sandbox::RunResult>> evaluate(
      const EvalRequest& request);

  // The deadline a request gets: what it asked for (or the default), clamped
  // to [1 ms, the configured maximum].
  std::chrono::milliseconds deadline_for(const EvalRequest& request) const;

  const sandbox::LaunchConfig& config() const { return config_; }
  int running() const { return running_; }

 private:
  sandbox::LaunchConfig config_;
  sandbox::CgroupSlots* cgroups_;
  sandbox::SlotKeepers& keepers_;
  Admission& admission_;
  int running_ = 0;
  metrics::Histogram& duration_;
  metrics::CounterFamily& outcomes_;
};

}  // namespace playground::backend
