// The fixed program Python runs (`python3 -I -S -c <this>`) inside a sandbox.
//
// It reads the snippet from fd 3 until EOF, so a sandbox can be started ahead
// of time and sit blocked here until a request hands it code. Then it runs the
// snippet as `python3 main.py` would: as __main__, with __file__ "main.py",
// tracebacks naming main.py with the right line numbers and source lines, and
// exit code 1 on an uncaught exception. It leaves nothing of its own in the
// snippet's globals. stdout is line-buffered (as on a terminal) so what a
// program printed before a timeout or a kill is not lost in a buffer.
#pragma once

namespace playground::sandbox {

inline constexpr const char* kPythonBootstrap = R"PY(def _playground_main():
    import posix, sys
    chunks = []
    while True:
        chunk = posix.read(3, 1048576)
        if not chunk:
            break
        chunks.append(chunk)
    posix.close(3)
    source = b"".join(chunks)
    g = sys.modules["__main__"].__dict__
    del g["_playground_main"]
    class SourceLoader:
        def get_source(self, name):
            return source.decode("utf-8", "replace")
    g["__loader__"] = SourceLoader()
    g["__file__"] = "main.py"
    sys.argv[:] = ["main.py"]
    sys.stdout.reconfigure(line_buffering=True)
    try:
        exec(compile(source, "main.py", "exec", dont_inherit=True), g)
    except SystemExit:
        raise
    except BaseException as e:
        import traceback
        traceback.print_exception(type(e), e, e.__traceback__.tb_next)
        sys.exit(1)
_playground_main()
)PY";

}  // namespace playground::sandbox
