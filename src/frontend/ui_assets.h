// UiAsset: the web UI's files, embedded in the binary at build time
// (cmake/embed_assets.cmake), so the frontend needs no file on disk and
// serves exactly the UI it was built with.
//
//   const UiAsset* a = find_ui_asset("/");  // index.html
//   bool gz = !a->gzip.empty() && accepts_gzip(req[accept_encoding]);
#pragma once

#include <string_view>
#include <vector>

namespace playground::frontend {

struct UiAsset {
  std::string_view path;  // "/index.html", "/app.js", ...
  std::string_view content_type;
  std::string_view body;
  std::string_view etag;  // quoted, from a hash of the body
  std::string_view gzip;  // the body gzip-compressed; empty when not worth it
};

// True when an Accept-Encoding value accepts gzip ("gzip", "gzip;q=0.5",
// "*"), false when absent or refused ("gzip;q=0").
bool accepts_gzip(std::string_view accept_encoding);

// True when an If-None-Match value names `etag` (quoted): "*", or a list of
// entity tags compared weakly, as RFC 9110 (13.1.2) asks, so a W/ prefix
// that a proxy added still matches.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// Every embedded file (generated).
const std::vector<UiAsset>& ui_assets();

// The asset served at a URL path; "/" is index.html. nullptr when none.
const UiAsset* find_ui_asset(std::string_view path);

}  // namespace playground::frontend
