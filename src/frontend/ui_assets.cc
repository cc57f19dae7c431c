// Lookup of the embedded UI files (see ui_assets.h).
#include "frontend/ui_assets.h"

namespace playground::frontend {

const UiAsset* find_ui_asset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const UiAsset& asset : ui_assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

}  // namespace playground::frontend
