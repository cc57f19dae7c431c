// Admission, sandbox start and run for one request (see evaluator.h).
#include "backend/evaluator.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "common/log.h"
#include "common/task.h"
#include "sandbox/shared/program_payload.h"

namespace playground::backend {

Evaluator::Evaluator(const sandbox::LaunchConfig& config, SandboxPool& pool,
                     Admission& admission, metrics::Registry& registry)
    : config_(config),
      pool_(pool),
      admission_(admission),
      duration_(registry.histogram(
          "playground_eval_duration_seconds",
          "Wall time of evaluations, from start of the sandbox to the result.",
          {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10})),
      outcomes_(registry.counter_family(
          "playground_evals_total", "Finished evaluations by result status.",
          {"status"})) {
  registry.gauge_callback("playground_eval_queue_depth",
                          "Evaluations waiting for a free sandbox slot.",
                          [this] { return admission_.queued(); });
  registry.gauge_callback("playground_sandboxes_running",
                          "Sandboxes running now.",
                          [this] { return running_; });
}

std::chrono::milliseconds Evaluator::deadline_for(
    const EvalRequest& request) const {
  const int64_t asked = request.timeout_ms.value_or(config_.limits.wall_ms);
  return std::chrono::milliseconds(
      std::clamp<int64_t>(asked, 1, config_.limits.max_wall_ms));
}

void Evaluator::end_after_answer(Executor executor, SandboxPool::Lease lease,
                                 int permit) {
  --running_;
  admission_.finishing(permit);
  boost::asio::co_spawn(
      executor,
      [this, lease = std::move(lease), permit]() mutable -> Task<void> {
        co_await lease.end();  // killed, its slot empty again
        // Only now may another request run.
        admission_.release(permit);
      },
      boost::asio::detached);
}

Task<Result<sandbox::RunResult>> Evaluator::evaluate(
    const EvalRequest& request, std::string client,
    std::stop_token client_gone) {
  const Error cancelled{"The client went away; the evaluation was stopped.",
                        Errc::client_gone};
  std::optional<int> permit =
      co_await admission_.acquire(std::move(client), client_gone);
  if (!permit && client_gone.stop_requested()) {
    outcomes_.with({"cancelled"}).inc();
    co_return cancelled;
  }
  if (!permit) {
    outcomes_.with({"rejected_busy"}).inc();
    co_return Error{"The service is at capacity; retry shortly.",
                    Errc::at_capacity};
  }
  sandbox::Program as_given{.code = request.code, .args = request.args};
  for (const protocol::ProgramFile& f : request.files) {
    as_given.files.emplace_back(f.name, f.content);
  }
  const std::string program = sandbox::encode_program(as_given);
  const SandboxKind kind =
      pool_.keeps_data() ? kind_for(request) : SandboxKind::plain;
  const auto started = std::chrono::steady_clock::now();
  ++running_;
  Result<sandbox::RunResult> result = Error{"not run"};
  // A pooled sandbox can die while it waits (its keeper killed, the OOM
  // killer) and still look alive for a moment; if it fails before reporting,
  // the run goes to a fresh sandbox. Evaluation has no side effects outside
  // its sandbox, so this retry is safe.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (client_gone.stop_requested()) {
      result = cancelled;
      break;
    }
    auto lease = co_await pool_.take(kind);
    if (!lease) {
      result = lease.error();
      break;
    }
    result = co_await lease->box().run(program, request.stdin_data,
                                       deadline_for(request), client_gone);
    if (result || !lease->pooled || client_gone.stop_requested()) {
      // Answered now; the sandbox's init may still be exiting.
      end_after_answer(co_await boost::asio::this_coro::executor,
                       std::move(*lease), *permit);
      permit.reset();
      break;
    }
    co_await lease->end();
    log::warn(
        "a pooled sandbox failed without reporting; retrying on a fresh one",
        {{"error", result.error().message}});
  }
  if (permit) {  // no run was answered: nothing left to end
    --running_;
    admission_.release(*permit);
  }
  duration_.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count());
  if (!result && client_gone.stop_requested()) {
    outcomes_.with({"cancelled"}).inc();
    co_return cancelled;
  }
  if (!result) {
    outcomes_.with({"sandbox_failure"}).inc();
    log::error("sandbox failure", {{"error", result.error().message}});
    co_return Error{"The sandbox failed: " + result.error().message,
                    Errc::sandbox_failed};
  }
  outcomes_.with({std::string(sandbox::to_string(result->status))}).inc();
  co_return result;
}

}  // namespace playground::backend
