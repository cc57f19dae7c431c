// UiAsset: the web UI's files, embedded in the binary at build time
// (cmake/embed_assets.cmake), so the frontend needs no file on disk and
// serves exactly the UI it was built with.
//
//   const UiAsset* a = find_ui_asset("/");  // index.html
//   if (a) return static_response(*a, if_none_match);
#pragma once

#include <string_view>
#include <vector>

namespace playground::frontend {

struct UiAsset {
  std::string_view path;  // "/index.html", "/app.js", ...
  std::string_view content_type;
  std::string_view body;
  std::string_view etag;  // quoted, from a hash of the body
};

// Every embedded file (generated).
const std::vector<UiAsset>& ui_assets();

// The asset served at a URL path; "/" is index.html. nullptr when none.
const UiAsset* find_ui_asset(std::string_view path);

}  // namespace playground::frontend
