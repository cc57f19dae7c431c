// The fixed Python programs a sandbox runs (`python3 -I -S -c <program>`).
//
// kPythonBootstrapSource reads the snippet from fd 3 until EOF, so a sandbox
// can be started ahead of time and sit blocked there until a request hands it
// code. Before that it pays for what it can: compile() sets up Python's AST
// types on first use (~7 M instructions), so one empty compile runs first,
// and gc.freeze() moves the start-up objects out of the collector's way. Then
// it writes one byte to fd 5 (the sandbox is warm) and closes it.
//
// It runs the snippet as `python3 main.py` would: written to main.py in the
// working directory (the run's own /tmp) beside the files the request gave
// (program_payload.h), as __main__, with __file__ that file's absolute path,
// sys.argv ["main.py", *args], the directory first on sys.path (so a given
// helper.py imports), tracebacks, linecache, inspect and warnings reading the
// file, exit codes derived from SystemExit as CPython does, exit(), quit()
// and help() present as `site` would add them. It leaves nothing of its own
// in the snippet's globals, and what it uses after the snippet ran is bound
// beforehand, so rebinding print or int cannot break it. stdout is
// line-buffered (as on a terminal) so what a program printed before a
// timeout or a kill is not lost in a buffer.
//
// At the end it does what Python's shutdown does that a program can observe
// (join non-daemon threads, atexit callbacks, collections before and after
// clearing __main__'s globals in CPython's order so __del__ runs, flushing)
// and then _exit()s, skipping the interpreter's teardown, which nobody can
// observe and which cost 6 M instructions (~1.2 ms) of the ~1.3 ms left after
// the code arrives in a pre-started sandbox.
#pragma once

namespace playground::sandbox {

inline constexpr const char* kPythonBootstrapSource =
    R"PY(def _playground_main(SystemExit=SystemExit, BaseException=BaseException,
                     Exception=Exception, KeyboardInterrupt=KeyboardInterrupt,
                     isinstance=isinstance, int=int, print=print, type=type,
                     len=len, exec=exec, compile=compile):
    # Every name used after the snippet runs is bound here, before it: the
    # snippet shares these globals and may rebind print, int, SystemExit...
    import posix, sys, atexit, gc, builtins
    _exit, modules, stdout, stderr = posix._exit, sys.modules, sys.stdout, sys.stderr
    # What `site` adds and -S leaves out: exit(), quit(), help(), copyright,
    # credits and license, behaving and named as _sitebuiltins' objects; and
    # Debian's package directory on sys.path, never /usr/local nor a user's.
    # Not site itself (importing it, and running the directory's .pth files,
    # cost 2 ms of every start), nor _sitebuiltins (10 % fewer runs a
    # second, measured).
    class Quitter:
        def __init__(self, name, eof):
            self.name, self.eof = name, eof
        def __repr__(self):
            return "Use %s() or %s to exit" % (self.name, self.eof)
        def __call__(self, code=None):
            try:
                sys.stdin.close()
            except:
                pass
            raise SystemExit(code)
    class _Printer:
        def __init__(self, name, data):
            self.name, self.data = name, data
        def __repr__(self):
            return self.data
        def __call__(self):
            print(self.data)
    class _Helper:
        def __repr__(self):
            return ("Type help() for interactive help, "
                    "or help(object) for help about object.")
        def __call__(self, *args, **kwds):
            import pydoc
            return pydoc.help(*args, **kwds)
    for made in (Quitter, _Printer, _Helper):
        made.__module__ = "_sitebuiltins"
    external = modules["_frozen_importlib_external"]
    eof = "Ctrl-D (i.e. EOF)"
    builtins.quit = Quitter("quit", eof)
    builtins.exit = Quitter("exit", eof)
    builtins.copyright = _Printer("copyright", sys.copyright)
    builtins.credits = _Printer("credits", """\
    Thanks to CWI, CNRI, BeOpen.com, Zope Corporation and a cast of thousands
    for supporting Python development.  See www.python.org for more information.""")
    builtins.license = _Printer("license", "See https://www.python.org/psf/license/")
    builtins.help = _Helper()
    if posix.access("/usr/lib/python3/dist-packages", posix.R_OK):
        sys.path.append("/usr/lib/python3/dist-packages")
    compile("", "main.py", "exec")
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
    # The frame of program_payload.h: arguments and files before the code.
    args, files = [], []
    if source[:5] == b"\0pg1\n":
        end = source.index(b"\n", 5)
        nargs, nfiles = source[5:end].split()
        at = end + 1
        for _ in range(int(nargs)):
            end = source.index(b"\n", at)
            size, at = int(source[at:end]), end + 1
            args.append(source[at:at + size].decode("utf-8", "surrogateescape"))
            at += size
        for _ in range(int(nfiles)):
            end = source.index(b"\n", at)
            name_size, size = source[at:end].split()
            at = end + 1
            name_end = at + int(name_size)
            files.append((source[at:name_end].decode("utf-8", "surrogateescape"),
                          source[name_end:name_end + int(size)]))
            at = name_end + int(size)
        source = source[at:]
    # The program is the file main.py in the working directory (the run's
    # own tmpfs), beside the files it was given, as for `python3 main.py`.
    cwd = posix.getcwd()
    path = cwd.rstrip("/") + "/main.py"
    def write(name, data, exclusive):
        flags = posix.O_WRONLY | posix.O_CREAT | posix.O_CLOEXEC
        fd = posix.open(name, flags | (posix.O_EXCL if exclusive else posix.O_TRUNC), 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[posix.write(fd, view):]
        finally:
            posix.close(fd)
    for name, data in files:
        try:
            parts = name.split("/")
            for n in range(1, len(parts)):
                try:
                    posix.mkdir("/".join(parts[:n]), 0o755)
                except FileExistsError:
                    pass
            write(name, data, True)
        except OSError as e:
            stderr.write("Cannot write the file %r: %s.\n" % (name, e.strerror))
            stderr.flush()
            _exit(1)
    try:
        write("main.py", source, False)
        on_disk = True
    except OSError:
        on_disk = False  # no private working directory: the source stays in memory
    g = modules["__main__"].__dict__
    g.pop("_playground_main", None)
    g.pop("_playground_load", None)
    if on_disk:
        g["__loader__"] = external.SourceFileLoader("__main__", path)
    else:
        class SourceLoader:
            def get_source(self, name):
                return source.decode("utf-8", "replace")
        g["__loader__"] = SourceLoader()
    g["__file__"] = path
    g["__cached__"] = None
    sys.argv[:] = ["main.py"] + args
    # The script's directory first, as `python3 main.py` puts it (-I does not).
    sys.path.insert(0, cwd)
    stdout.reconfigure(line_buffering=True)
    interrupted = False
    try:
        exec(compile(source, path, "exec", dont_inherit=True), g)
        status = 0
    except SystemExit as e:
        status = e.code
    except BaseException as e:
        # From the program's own frame on, as `python3 main.py` has it.
        tb = e.__traceback__.tb_next
        e.__traceback__ = tb
        if on_disk:
            # As CPython ends a program: through sys.excepthook, whatever the
            # program set it to (the default one adds "Did you mean").
            try:
                sys.excepthook(type(e), e, tb)
            except BaseException as hook_error:
                stderr.write("Error in sys.excepthook:\n")
                sys.__excepthook__(type(hook_error), hook_error,
                                   hook_error.__traceback__)
                stderr.write("\nOriginal exception was:\n")
                sys.__excepthook__(type(e), e, tb)
        else:
            import linecache, traceback
            text = source.decode("utf-8", "replace")
            lines = [line + "\n" for line in text.splitlines()]
            linecache.cache[path] = (len(text), None, lines, path)
            traceback.print_exception(type(e), e, tb)
        status = 1
        interrupted = isinstance(e, KeyboardInterrupt)
    # What Python's own shutdown does that a program can observe, without
    # tearing down the interpreter, which nobody can observe and costs ~1 ms.
    # Exit codes as CPython derives them from SystemExit.
    if status is None:
        status = 0
    elif isinstance(status, int):
        status = status & 0xFF if -2**63 <= status < 2**63 else 255
    else:
        try:
            print(status, file=sys.stderr)
        except Exception:
            pass
        status = 1
    threading = modules.get("threading")
    if threading is not None:
        threading._shutdown()
    atexit._run_exitfuncs()
    gc.collect()
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
    if interrupted:
        # CPython ends an uncaught KeyboardInterrupt by SIGINT, as shells expect.
        import _signal
        _signal.signal(2, _signal.SIG_DFL)
        posix.kill(posix.getpid(), 2)
    _exit(status)
_playground_main()
)PY";

// The same program compiled once: the start-up self-test has Python (in a
// sandbox) marshal kPythonBootstrapSource, and every sandbox then receives
// those bytes on fd 6 and runs them with this loader instead of compiling
// ~90 lines at each start (4 M instructions, about 1 ms of CPU).
inline constexpr const char* kPythonLoader = R"PY(def _playground_load():
    import marshal, posix
    chunks = []
    while True:
        chunk = posix.read(6, 1048576)
        if not chunk:
            break
        chunks.append(chunk)
    posix.close(6)
    exec(marshal.loads(b"".join(chunks)), globals())
_playground_load()
)PY";

// Run inside a sandbox, as its snippet with the source on stdin, to produce
// what fd 6 carries.
inline constexpr const char* kMarshalBootstrapSnippet = R"PY(import marshal, sys
code = compile(sys.stdin.read(), "<playground-bootstrap>", "exec")
sys.stdout.buffer.write(marshal.dumps(code))
)PY";

}  // namespace playground::sandbox
