// BackendConfig: every setting of playground-backend, from flags and
// environment.
//
//   BackendConfig cfg;
//   auto outcome = parse_backend_config(argc, argv, cfg, help_text);
//
// Defaults serve a single user with no setting at all (../design.md,
// "Configuration"); every setting has a flag and a PLAYGROUND_* variable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/options.h"
#include "common/result.h"
#include "compat/api_options.h"
#include "http/listener_config.h"
#include "sandbox/shared/policy.h"

namespace playground::backend {

struct BackendConfig {
  // Behind the frontend every client has the frontend's address: one
  // address may hold the whole body budget.
  http::ListenerConfig listener{.port = 6000,
                                .max_connections = 10'000,
                                .body_memory_per_client = 64LL << 20};
  sandbox::Limits limits;
  int64_t concurrency = 0;  // 0: the number of cores
  int64_t queue = 64;
  int64_t pool = -1;  // pre-started sandboxes at most; -1: concurrency
  // "on": keep data sandboxes (numpy and pandas imported ahead) for data
  // snippets when Debian's packages are installed (sandbox_kind.h).
  std::string data_pool = "on";
  // --module-dirs: which of Debian's module directories the sandbox sees
  // ("all", "none", or a comma-separated list); hidden_module_dirs, the
  // others, is filled in by parsing.
  std::string module_dirs = "all";
  std::vector<std::string> hidden_module_dirs;
  // Cases of one grading request run at once; 0: half the concurrency, at
  // least two (but never more than the concurrency).
  int64_t grade_parallel = 0;
  int64_t body_bytes = 2LL << 20;
  std::string token;  // PLAYGROUND_TOKEN or the file --token-file names
  std::string token_file;
  std::string ops_access = "token";  // or "public" (add_ops_access_option)
  bool public_ops() const { return ops_access == "public"; }
  std::string log_level = "info";
  compat::ApiOptions apis;  // apis.body_limit: body_bytes
  std::string python = "/usr/bin/python3";
  std::string init_path;  // "": playground-sandbox-init next to this program
  std::string isolation = "best-effort";  // or "strict"
};

// Fills `cfg`; on --help puts the help text in `help`.
Result<ParseOutcome> parse_backend_config(int argc, const char* const* argv,
                                          BackendConfig& cfg,
                                          std::string& help);

}  // namespace playground::backend
