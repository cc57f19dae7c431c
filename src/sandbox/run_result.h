// RunResult: how one sandboxed run ended and what it printed.
//
//   RunResult r = ...;                        // filled by SandboxProcess::run
//   if (r.status == RunStatus::timeout) ...;
//   std::string_view s = to_string(r.status);  // "timeout"
//
// Kept apart from the launcher so the result's encoding (protocol/eval_result)
// can be built and fuzzed without the sandbox machinery.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace playground::sandbox {

enum class RunStatus { ok, error, timeout, memory_limit, output_limit, killed };
std::string_view to_string(RunStatus status);

struct RunResult {
  std::string stdout_bytes;  // raw; may be invalid UTF-8
  std::string stderr_bytes;
  int exit_code = 0;  // -signal when a signal ended Python
  RunStatus status = RunStatus::ok;
  double time_ms = 0;  // from handing over the code to Python's end
  double cpu_ms = 0;   // user+system of Python and the children it waited for
  int64_t memory_kb = 0;  // peak resident set size
  bool truncated = false;
};

}  // namespace playground::sandbox
