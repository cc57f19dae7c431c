// Evaluator: runs one evaluation request from admission to result.
//
//   Result<RunResult> r =
//       co_await evaluator.evaluate(request, client, client_gone);
//   // r.error().code: Errc::at_capacity when the queue is full,
//   // Errc::sandbox_failed when the sandbox broke, Errc::client_gone when
//   // `client_gone` was requested (the run was killed)
//
// Admission bounds how many run at once; the pool supplies the sandboxes.
#pragma once

#include <chrono>
#include <stop_token>

#include "backend/admission.h"
#include "backend/sandbox_pool.h"
#include "common/metrics.h"
#include "common/result.h"
#include "common/task.h"
#include "protocol/eval_request.h"
#include "sandbox/launcher.h"

namespace playground::backend {

using protocol::EvalRequest;

class Evaluator {
 public:
  Evaluator(const sandbox::LaunchConfig& config, SandboxPool& pool,
            Admission& admission, metrics::Registry& registry);

  // `client` names who asked, for fair queueing (admission.h). A stop on
  // `client_gone` takes the request out of the queue, or kills its sandbox
  // at once: nobody is left to read the result.
  Task<Result<sandbox::RunResult>> evaluate(const EvalRequest& request,
                                            std::string client,
                                            std::stop_token client_gone = {});

  // The deadline a request gets: what it asked for (or the default), clamped
  // to [1 ms, the configured maximum].
  std::chrono::milliseconds deadline_for(const EvalRequest& request) const;

  const sandbox::LaunchConfig& config() const { return config_; }

 private:
  // After an answer: ends `lease` (its init's exit awaited, its slot
  // emptied) on `executor`, then frees its admission `permit`.
  void end_after_answer(Executor executor, SandboxPool::Lease lease,
                        int permit);

  const sandbox::LaunchConfig& config_;
  SandboxPool& pool_;
  Admission& admission_;
  int running_ = 0;
  metrics::Histogram& duration_;
  metrics::CounterFamily& outcomes_;
};

}  // namespace playground::backend
