// Fuzz target: PLAYGROUND_BACKENDS (frontend::parse_backend_list).
//
// Input: the variable's value.
// Properties, when the list is accepted:
//  - 1 to 64 backends, names unique, 1-32 of [A-Za-z0-9._-];
//  - each URL is http or https (tls set to match), has a host that is safe
//    to put in a Host header and to look up (no control characters, spaces
//    or '%'), a port in 1-65535 (80/443 by default), and a path prefix that
//    is empty or starts with '/' and has no trailing '/';
//  - writing the list back as name=url,... gives the same backends, and each
//    URL alone gives the same origin.
// When it is refused, there is a message saying why.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/backend_list.h"
#include "fuzz_check.h"

namespace {

using playground::frontend::BackendSpec;
using playground::frontend::parse_backend_list;

bool same_origin(const playground::http::Origin& a,
                 const playground::http::Origin& b) {
  return a.tls == b.tls && a.host == b.host && a.port == b.port &&
         a.base_path == b.base_path;
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

bool safe_host(std::string_view host) {
  for (unsigned char c : host) {
    if (c <= 0x20 || c == 0x7f || c == '%') return false;
  }
  return !host.empty();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto list = parse_backend_list(text);
  if (!list) {
    FUZZ_CHECK(!list.error().message.empty());
    return 0;
  }
  const std::vector<BackendSpec>& backends = *list;
  FUZZ_CHECK(!backends.empty() && backends.size() <= 64);
  std::string written;
  for (size_t i = 0; i < backends.size(); ++i) {
    const BackendSpec& b = backends[i];
    FUZZ_CHECK(valid_name(b.name));
    for (size_t j = 0; j < i; ++j) FUZZ_CHECK(backends[j].name != b.name);
    const std::string_view url = b.url;
    FUZZ_CHECK(url.starts_with(b.origin.tls ? "https://" : "http://"));
    FUZZ_CHECK(safe_host(b.origin.host));
    FUZZ_CHECK(b.origin.port >= 1);
    const std::string_view path = b.origin.base_path;
    FUZZ_CHECK(path.empty() || (path.front() == '/' && path.back() != '/'));

    auto alone = parse_backend_list("x=" + b.url);
    FUZZ_CHECK(alone.ok() && alone->size() == 1);
    FUZZ_CHECK(same_origin((*alone)[0].origin, b.origin));
    if (i > 0) written += ",";
    written += b.name + "=" + b.url;
  }
  auto again = parse_backend_list(written);
  FUZZ_CHECK(again.ok() && again->size() == backends.size());
  for (size_t i = 0; i < backends.size(); ++i) {
    FUZZ_CHECK((*again)[i].name == backends[i].name);
    FUZZ_CHECK((*again)[i].url == backends[i].url);
    FUZZ_CHECK(same_origin((*again)[i].origin, backends[i].origin));
  }
  return 0;
}
