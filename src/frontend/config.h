// FrontendConfig: every setting of playground-frontend, from flags and
// environment.
//
//   FrontendConfig cfg;
//   auto outcome = parse_frontend_config(argc, argv, cfg, help_text);
//
// With no setting at all it serves the local stack: the UI on
// 127.0.0.1:5000 in front of backends gke (127.0.0.1:6000) and aks
// (127.0.0.1:6001).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/options.h"
#include "common/result.h"
#include "compat/api_options.h"
#include "frontend/backend_list.h"
#include "http/listener_config.h"

namespace playground::frontend {

struct FrontendConfig {
  http::ListenerConfig listener{.port = 5000, .max_connections = 16'384};
  std::string backends_text =
      "gke=http://127.0.0.1:6000,aks=http://127.0.0.1:6001";
  std::vector<BackendSpec> backends;  // parsed from backends_text
  std::string token;                  // PLAYGROUND_TOKEN or --token-file
  std::string token_file;
  // --exercises: the directory of exercise files (exercises.h); "" none.
  std::string exercises_dir;
  std::string ca_file;
  std::string ops_access = "token";  // or "public" (add_ops_access_option)
  bool public_ops() const { return ops_access == "public"; }
  int64_t attempts = 3;
  int64_t connect_timeout_ms = 2'000;
  int64_t upstream_timeout_ms = 30'000;
  int64_t health_interval_ms = 500;
  int64_t health_timeout_ms = 1'000;
  int64_t unhealthy_after = 3;
  int64_t healthy_after = 2;
  int64_t rate_limit = 5;  // requests per second per client; 0: off
  int64_t rate_burst = 10;
  int64_t runs_per_client = 4;      // forwarded at once per client address
  int64_t waiting_per_client = 16;  // more wait, up to this many, then 429
  int64_t body_bytes = 2LL << 20;
  std::string log_level = "info";
  int64_t threads = 0;      // event loops; 0: one per CPU it may run on
  compat::ApiOptions apis;  // apis.body_limit: body_bytes
};

// Fills `cfg`; on --help puts the help text in `help`.
Result<ParseOutcome> parse_frontend_config(int argc, const char* const* argv,
                                           FrontendConfig& cfg,
                                           std::string& help);

}  // namespace playground::frontend
