// The Python code a sandbox runs before the program, so that the program runs
// exactly as `python3 main.py`.
//
// A sandbox is started ahead of time and waits for its program, so something
// must receive the program once Python is already running. With a private
// filesystem that is the sandbox's site customisation: Debian links
// /usr/lib/python3.X/sitecustomize.py to /etc/python3.X/sitecustomize.py, and
// the sandbox's /etc is its own, so the keeper writes site_hook_source()
// there (contain.cc). The init then execs `/usr/bin/python3 main.py` in the
// run's /tmp (as pid 2 of the run's pid namespace, the init being pid 1).
// Python starts as it always does (site, .pth files, exit(),
// help(), Debian's dist-packages); site imports sitecustomize, which
//   1. writes one byte to fd 5 (the sandbox is warm) and closes it;
//   2. reads the program from fd 3 until EOF (program_payload.h's frame);
//   3. writes the given files and then main.py into the working directory;
//   4. sets sys.argv[1:] and sys.orig_argv[2:] to the arguments, and makes
//      stdout line-buffered as on a terminal (so what a program printed
//      before a timeout or a kill is not lost in a buffer);
//   5. deletes its own names and runs the machine's own sitecustomize.
// The keeper also compiles the hook once (pyc_compiler_source()) and binds
// the result over the interpreter's cached sitecustomize, so no run compiles
// it: compiling any source first initialises CPython's AST types, which with
// the hook's own 80 lines cost about 1 ms of CPU per run.
// Then CPython opens main.py and runs it as its own script: no loader frame
// is on the stack, recursion headroom, tracebacks, __file__, __loader__,
// sys.orig_argv, shutdown and exit codes are CPython's own.
//
// Without a private filesystem (a machine that refuses mount namespaces)
// nothing can be written: fallback_bootstrap_source() is then run as
// `python3 -I -S -c <it>`; it receives the program the same way and runs it
// with exec(), the source in memory. Its frames sit under the program's.
#pragma once

#include <string>
#include <string_view>

namespace playground::sandbox {

// The first line of the hook, by which the init knows a hook is in place.
inline constexpr std::string_view kSiteHookMarker =
    "# Playground sandbox: receives the program";

// The sandbox's /etc/python3.X/sitecustomize.py: the receiving hook, then
// `machine_sitecustomize` (the host's own file, possibly empty) unchanged.
std::string site_hook_source(std::string_view machine_sitecustomize);

// A `-c` program that reads Python source on stdin and writes it, compiled
// as the file named by its one argument, to stdout as an unchecked
// hash-based pyc (PEP 552: loaded without looking at the source).
const char* pyc_compiler_source();

// The `-c` program for sandboxes without a private filesystem.
const std::string& fallback_bootstrap_source();

}  // namespace playground::sandbox
