# Writes OUTPUT, a C++ header with each file of FILES (a comma-separated
# list of NAME=PATH) as `inline constexpr std::string_view NAME`, in
# NAMESPACE. Used for sources that are kept as files of their own language
# (so their own tools check them) and compiled into a program.
string(REPLACE "," ";" entries "${FILES}")
set(text "// Generated from the files named below by cmake/embed_text.cmake.\n")
string(APPEND text "#pragma once\n\n#include <string_view>\n\nnamespace ${NAMESPACE} {\n")
foreach(entry IN LISTS entries)
  string(REGEX MATCH "^([A-Za-z0-9_]+)=(.+)$" matched "${entry}")
  if(NOT matched)
    message(FATAL_ERROR "embed_text: bad entry '${entry}'")
  endif()
  set(name "${CMAKE_MATCH_1}")
  set(path "${CMAKE_MATCH_2}")
  file(READ "${path}" content)
  if(content MATCHES "\\)embedded\"")
    message(FATAL_ERROR "embed_text: ${path} contains the delimiter )embedded\"")
  endif()
  get_filename_component(file_name "${path}" NAME)
  string(APPEND text "\n// ${file_name}\ninline constexpr std::string_view ${name} = R\"embedded(${content})embedded\";\n")
endforeach()
string(APPEND text "\n}  // namespace ${NAMESPACE}\n")
file(WRITE "${OUTPUT}.tmp" "${text}")
# Unchanged output keeps its time stamp: nothing recompiles for nothing.
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
file(REMOVE "${OUTPUT}.tmp")
