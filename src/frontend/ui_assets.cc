// Lookup of the embedded UI files (see ui_assets.h).
#include "frontend/ui_assets.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include "http/message.h"

namespace playground::frontend {

const UiAsset* find_ui_asset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const UiAsset& asset : ui_assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (http::trim_ows(if_none_match) == "*") return true;
  while (!if_none_match.empty()) {
    std::string_view tag = http::next_list_item(if_none_match);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

bool accepts_gzip(std::string_view accept_encoding) {
  bool gzip = false;
  bool star = false;
  // Accept-Encoding is a list of codings, each with parameters (only q).
  for (const auto& [coding, params] :
       boost::beast::http::ext_list(accept_encoding)) {
    bool refused = false;
    for (const auto& [name, value] : params) {
      // "q=0", "q=0.0", "q=0.000": refused; any other weight accepts.
      if (http::equal_ignoring_case(name, "q")) {
        refused = !value.empty() &&
                  value.find_first_not_of("0.") == std::string_view::npos;
      }
    }
    if (http::equal_ignoring_case(coding, "gzip") ||
        http::equal_ignoring_case(coding, "x-gzip")) {
      if (refused) return false;
      gzip = true;
    } else if (coding == "*") {
      star = !refused;
    }
  }
  return gzip || star;
}

}  // namespace playground::frontend
