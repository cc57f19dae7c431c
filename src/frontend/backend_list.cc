// Parsing of PLAYGROUND_BACKENDS (see backend_list.h).
#include "frontend/backend_list.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <set>

#include "common/options.h"
#include "http/message.h"

namespace playground::frontend {
namespace {

constexpr size_t kMaxNameLength = 32;
constexpr size_t kMaxBackends = 64;

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool valid_host_name(std::string_view host) {
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return !host.empty();
}

Result<BackendSpec> parse_entry(std::string_view entry) {
  const auto eq = entry.find('=');
  if (eq == std::string_view::npos) {
    return Error{"backend \"" + std::string(entry) +
                 "\" must be name=url, e.g. gke=http://127.0.0.1:6000"};
  }
  BackendSpec spec;
  spec.name = std::string(http::trim_ows(entry.substr(0, eq)));
  spec.url = std::string(http::trim_ows(entry.substr(eq + 1)));
  if (!valid_name(spec.name)) {
    return Error{"backend name \"" + spec.name +
                 "\" must be 1-32 characters of letters, digits, '.', '_' "
                 "or '-'"};
  }
  const std::string where = "backend " + spec.name + ": ";
  auto parsed = boost::urls::parse_absolute_uri(spec.url);
  if (!parsed) {
    return Error{where + "\"" + spec.url + "\" is not a URL"};
  }
  const boost::urls::url_view url = *parsed;
  const std::string scheme(url.scheme());
  if (scheme != "http" && scheme != "https") {
    return Error{where + "the URL must start with http:// or https://"};
  }
  if (!url.has_authority() || url.encoded_host().empty()) {
    return Error{where + "the URL has no host"};
  }
  if (url.has_userinfo() || url.has_query() || url.has_fragment()) {
    return Error{where +
                 "the URL must not have user information, a query or a "
                 "fragment"};
  }
  http::Origin& o = spec.origin;
  o.tls = scheme == "https";
  // host_address() drops the brackets of an IPv6 literal and decodes a
  // name's %-escapes, which could hide a CR or LF meant for the Host header.
  o.host = url.host_address();
  const auto host_type = url.host_type();
  if (host_type != boost::urls::host_type::ipv4 &&
      host_type != boost::urls::host_type::ipv6 &&
      !(host_type == boost::urls::host_type::name && valid_host_name(o.host))) {
    return Error{where +
                 "the host must be an IP address or a name of letters, "
                 "digits, '.', '-' and '_'"};
  }
  o.port = o.tls ? 443 : 80;
  if (url.has_port()) {
    int64_t port = 0;
    if (!parse_int(url.port(), port) || port < 1 || port > 65535) {
      return Error{where + "the port must be 1-65535"};
    }
    o.port = static_cast<uint16_t>(port);
  }
  o.base_path = std::string(url.encoded_path());
  // Boost.URL 1.81 takes "http://h:6000-x/" and "http://[::1]x" for a host
  // followed by the path "-x/" or "x", which is no request target.
  if (!o.base_path.empty() && o.base_path.front() != '/') {
    return Error{where + "\"" + spec.url + "\" is not a URL"};
  }
  while (!o.base_path.empty() && o.base_path.back() == '/') {
    o.base_path.pop_back();
  }
  return spec;
}

}  // namespace

Result<std::vector<BackendSpec>> parse_backend_list(std::string_view text) {
  std::vector<BackendSpec> backends;
  std::set<std::string> names;
  while (!text.empty()) {
    const std::string_view entry = http::next_list_item(text);
    if (entry.empty()) continue;
    auto spec = parse_entry(entry);
    if (!spec) return spec.error();
    if (!names.insert(spec->name).second) {
      return Error{"backend name \"" + spec->name + "\" appears twice"};
    }
    if (backends.size() == kMaxBackends) {
      return Error{"more than " + std::to_string(kMaxBackends) + " backends"};
    }
    backends.push_back(std::move(*spec));
  }
  if (backends.empty()) {
    return Error{
        "no backends: set PLAYGROUND_BACKENDS (or --backends) to "
        "name=url,... e.g. gke=http://127.0.0.1:6000"};
  }
  return backends;
}

}  // namespace playground::frontend
