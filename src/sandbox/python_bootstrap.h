// The fixed program Python runs (`python3 -I -S -c <this>`) inside a sandbox.
//
// It reads the snippet from fd 3 until EOF, so a sandbox can be started ahead
// of time and sit blocked there until a request hands it code. Before that it
// pays for what it can: compile() sets up Python's AST types on first use
// (~7 M instructions), so one empty compile runs first, and gc.freeze() moves
// the start-up objects out of the collector's way. Then it writes one byte to
// fd 5 (the sandbox is warm) and closes it.
//
// It runs the snippet as `python3 main.py` would: as __main__, with __file__
// "main.py", tracebacks naming main.py with the right line numbers and source
// lines, exit code 1 on an uncaught exception, sys.exit() handled the same
// way. It leaves nothing of its own in the snippet's globals. stdout is
// line-buffered (as on a terminal) so what a program printed before a
// timeout or a kill is not lost in a buffer.
//
// At the end it does what Python's shutdown does that a program can observe
// (join non-daemon threads, atexit callbacks, clearing __main__'s globals in
// CPython's order so __del__ runs, a final collection, flushing) and then
// _exit()s, skipping the interpreter's teardown, which nobody can observe and
// which cost 6 M instructions (~1.2 ms) of the ~1.3 ms left after the code
// arrives in a pre-started sandbox.
#pragma once

namespace playground::sandbox {

inline constexpr const char* kPythonBootstrap = R"PY(def _playground_main():
    import posix, sys
    compile("", "main.py", "exec")
    import atexit, gc
    gc.freeze()
    posix.write(5, b"r")
    posix.close(5)
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
        status = 0
    except SystemExit as e:
        status = e.code
    except BaseException as e:
        import linecache, traceback
        text = source.decode("utf-8", "replace")
        lines = [line + "\n" for line in text.splitlines()]
        linecache.cache["main.py"] = (len(text), None, lines, "main.py")
        traceback.print_exception(type(e), e, e.__traceback__.tb_next)
        status = 1
    # What Python's own shutdown does that a program can observe, without
    # tearing down the interpreter, which nobody can observe and costs ~1 ms.
    if status is None:
        status = 0
    elif not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    threading = sys.modules.get("threading")
    if threading is not None:
        threading._shutdown()
    atexit._run_exitfuncs()
    for name in [n for n in g if n[:1] == "_" and n != "__builtins__"]:
        g[name] = None
    for name in [n for n in g if n != "__builtins__"]:
        g[name] = None
    gc.collect()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    posix._exit(status & 0xFF)
_playground_main()
)PY";

}  // namespace playground::sandbox
