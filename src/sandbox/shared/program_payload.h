// What a sandbox's Python reads on fd 3: first, when the sandbox starts,
// kPreloadBytes naming the modules to import before it is warm (spaces
// around and between, e.g. "numpy pandas"; all spaces for none); then the
// program, and with it the files to write beside it and its arguments. The
// reader is receive.py (python_startup.h); this is the writer.
//
//   std::string payload = encode_program({.code = "print(1)"});
//
// A program with no files and no arguments is sent as its code alone (the
// common case costs nothing). Otherwise, and whenever the code itself starts
// with a NUL byte (which Python source cannot; the bootstrap then still
// reports Python's own SyntaxError), the payload is
//   "\0pg1\n" ARGS " " FILES "\n"
//   then per argument:  LEN "\n" BYTES
//   then per file:      NAME_LEN " " CONTENT_LEN "\n" NAME CONTENT
//   then the code, to the end.
// Lengths are decimal byte counts: nothing in a name, an argument or a file
// can be taken for the frame around it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace playground::sandbox {

inline constexpr size_t kPreloadBytes = 64;

struct Program {
  std::string code;
  std::vector<std::string> args;                           // sys.argv[1:]
  std::vector<std::pair<std::string, std::string>> files;  // name, content
};

std::string encode_program(const Program& program);

}  // namespace playground::sandbox
