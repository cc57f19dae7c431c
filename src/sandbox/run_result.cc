// Names of run statuses (see run_result.h).
#include "sandbox/run_result.h"

namespace playground::sandbox {

std::string_view to_string(RunStatus s) {
  switch (s) {
    case RunStatus::ok:
      return "ok";
    case RunStatus::error:
      return "error";
    case RunStatus::timeout:
      return "timeout";
    case RunStatus::memory_limit:
      return "memory_limit";
    case RunStatus::output_limit:
      return "output_limit";
    case RunStatus::killed:
      return "killed";
  }
  return "error";
}

}  // namespace playground::sandbox
