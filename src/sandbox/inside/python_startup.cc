// The Python of python_startup.h, kept in python/ as .py files.
#include "sandbox/inside/python_startup.h"

#include "sandbox/inside/python_sources.h"  // generated from python/*.py

namespace playground::sandbox {

// A string literal: NUL-terminated, as the argv it goes into needs.
const char* pyc_compiler_source() { return python::kPycCompiler.data(); }

std::string site_hook_source(std::string_view machine_sitecustomize) {
  std::string source(kSiteHookMarker);
  source += " (see playground's src/sandbox/inside/python_startup.h).\n";
  source += python::kReceiveSource;
  source += python::kSiteHookTail;
  source += machine_sitecustomize;
  return source;
}

const std::string& fallback_bootstrap_source() {
  static const std::string source =
      std::string(python::kReceiveSource) + std::string(python::kFallbackMain);
  return source;
}

}  // namespace playground::sandbox
