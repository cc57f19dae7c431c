// BackendList: the backends named in PLAYGROUND_BACKENDS, parsed and checked.
//
//   auto backends = parse_backend_list("gke=http://10.0.0.5:6000,"
//                                      "aks=https://203.0.113.7");
//   if (!backends) die(backends.error().message);  // names the bad entry
//
// Each entry is `name=url`; the URL is http or https, with an optional port
// and path prefix (`/py/eval` is appended to it) and nothing else: user
// information, a query or a fragment would be silently ignored elsewhere, so
// they are refused here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/client.h"

namespace playground::frontend {

struct BackendSpec {
  std::string name;  // [A-Za-z0-9._-], at most 32 characters, unique
  std::string url;   // as given, for /api/backends and logs
  http::Origin origin;
};

Result<std::vector<BackendSpec>> parse_backend_list(std::string_view text);

}  // namespace playground::frontend
