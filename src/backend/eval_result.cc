// Encoding of evaluation results as JSON (see eval_result.h).
#include "backend/eval_result.h"

#include <cmath>

#include "common/utf8.h"

namespace playground::backend {
namespace {

double round2(double v) { return std::round(v * 100.0) / 100.0; }

}  // namespace

boost::json::object result_to_json(const sandbox::RunResult& r) {
  return {
      {"stdout", utf8::make_valid(r.stdout_bytes)},
      {"stderr", utf8::make_valid(r.stderr_bytes)},
      {"exit_code", r.exit_code},
      {"status", sandbox::to_string(r.status)},
      {"time_ms", round2(r.time_ms)},
      {"cpu_ms", round2(r.cpu_ms)},
      {"memory_kb", r.memory_kb},
      {"truncated", r.truncated},
  };
}

}  // namespace playground::backend
