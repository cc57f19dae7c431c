// Lookup of the embedded UI files (see ui_assets.h).
#include "frontend/ui_assets.h"

#include <boost/beast/core/string.hpp>

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
  while (!accept_encoding.empty()) {
    const std::string_view item = http::next_list_item(accept_encoding);
    const auto semi = item.find(';');
    const std::string_view coding = http::trim_ows(item.substr(0, semi));
    bool refused = false;
    if (semi != std::string_view::npos) {
      // "q=0", "q=0.0", "q=0.000": refused; any other weight accepts.
      std::string_view q = http::trim_ows(item.substr(semi + 1));
      if (q.size() >= 2 && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
        q.remove_prefix(2);
        refused =
            !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
      }
    }
    if (boost::beast::iequals(coding, "gzip") ||
        boost::beast::iequals(coding, "x-gzip")) {
      if (refused) return false;
      gzip = true;
    } else if (coding == "*") {
      star = !refused;
    }
  }
  return gzip || star;
}

}  // namespace playground::frontend
