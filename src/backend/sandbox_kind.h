// SandboxKind: which pre-started sandbox a program should get. A data
// snippet (one that imports numpy or pandas) gets one whose Python imported
// them before the program arrived, so it runs as fast as hello world
// instead of paying ~250-600 ms of imports; every other program gets a
// plain one, as `python3 main.py` starts.
//
//   SandboxKind kind = kind_for(request);   // a scan of the text, never a run
#pragma once

#include <string_view>

#include "protocol/eval_request.h"

namespace playground::backend {

enum class SandboxKind { plain = 0, data = 1 };
inline constexpr int kSandboxKinds = 2;

// The modules a data sandbox imports ahead, in this order.
inline constexpr std::string_view kDataModules[] = {"numpy", "pandas"};

// `data` when a statement of the code (outside strings and comments)
// starts with `import` or `from` and names numpy or pandas, and no file
// given beside it is a module or a directory (which `python3 main.py` would
// import instead of a preloaded one: a pandas.py, or a decimal.py that
// pandas itself imports). A mention in a comment or a string is not an
// import: the program gets a plain sandbox, as without the scan. One that
// imports them only on some path (`if False: import pandas`) still gets a
// data sandbox: its output is the same, only sys.modules holds them sooner.
SandboxKind kind_for(const protocol::EvalRequest& request);

std::string_view to_string(SandboxKind kind);

}  // namespace playground::backend
