# Installs the UI's npm packages exactly as ui/package-lock.json pins them,
# into ui/node_modules (shared by every build directory). Run at build time
# (cmake -P) when the lockfile is newer than the last install:
#   cmake -DNPM=/usr/bin/npm -DUI_DIR=ui -DSTAMP=ui/node_modules/.playground-lock.json -P npm_ci.cmake
# The network is needed once; after that npm's cache serves, so builds work offline.
# STAMP is a copy of the lockfile that was installed: the build's record.

# Another build directory may have installed this very lockfile already.
if(EXISTS "${STAMP}")
  file(SHA256 "${STAMP}" installed)
  file(SHA256 "${UI_DIR}/package-lock.json" wanted)
  if(installed STREQUAL wanted)
    file(TOUCH "${STAMP}")
    return()
  endif()
endif()

execute_process(
  COMMAND "${NPM}" ci --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error
  WORKING_DIRECTORY "${UI_DIR}"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR
    "npm ci failed in ${UI_DIR} (status ${status}). The first build downloads the UI's "
    "packages from the npm registry; check the network or npm's configuration, then build again.")
endif()
file(COPY_FILE "${UI_DIR}/package-lock.json" "${STAMP}")
