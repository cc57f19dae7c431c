// The Python sources of python_startup.h.
#include "sandbox/python_startup.h"

namespace playground::sandbox {
namespace {

// Shared by both ways of starting: waits for the program on fd 3 (after
// saying on fd 5 that Python is ready), writes the given files and main.py
// into the working directory, and returns (source, args, main.py written).
constexpr const char* kReceiveSource = R"PY(def _playground_receive():
    import posix, sys
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
            sys.stderr.write("Cannot write the file %r: %s.\n" % (name, e.strerror))
            sys.stderr.flush()
            posix._exit(1)
    try:
        write("main.py", source, False)
        return source, args, True
    except OSError:
        return source, args, False
)PY";

// The rest of the sandbox's sitecustomize (see python_startup.h).
constexpr const char* kSiteHookTail = R"PY(def _playground_site():
    import posix, sys
    # Only the interpreter the init started (pid 2 of the run's own pid
    # namespace, holding the two pipes) receives the program; those the
    # program starts, or execs as itself, do not.
    if posix.getpid() != 2:
        return
    try:
        if not all(posix.fstat(fd).st_mode & 0o170000 == 0o010000 for fd in (3, 5)):
            return
    except OSError:
        return
    source, args, on_disk = _playground_receive()
    if not on_disk:
        sys.stderr.write("Cannot write main.py in the working directory.\n")
        sys.stderr.flush()
        posix._exit(1)
    sys.argv[1:] = args
    sys.orig_argv[2:] = args
    sys.stdout.reconfigure(line_buffering=True)
_playground_site()
del _playground_receive, _playground_site
# The machine's own site customisation follows.
)PY";

// The fallback's own part: `site`'s additions made in place (importing site
// and its .pth files, or even _sitebuiltins, cost 2 ms of every start), a
// warmed compile() and frozen start-up objects, then the program through
// exec() with what `python3 main.py` would show, and Python's observable
// shutdown before _exit(), skipping the teardown nobody can observe. Every
// name used after the program ran is bound before it: the program shares
// these globals and may rebind print, int, SystemExit...
constexpr const char* kFallbackMain =
    R"PY(def _playground_main(SystemExit=SystemExit, BaseException=BaseException,
                     Exception=Exception, KeyboardInterrupt=KeyboardInterrupt,
                     isinstance=isinstance, int=int, print=print, type=type,
                     len=len, exec=exec, compile=compile):
    import posix, sys, atexit, gc, builtins
    _exit, modules, stderr = posix._exit, sys.modules, sys.stderr
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
    source, args, on_disk = _playground_receive()
    cwd = posix.getcwd()
    path = cwd.rstrip("/") + "/main.py"
    g = modules["__main__"].__dict__
    g.pop("_playground_main", None)
    g.pop("_playground_receive", None)
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
    sys.path.insert(0, cwd)
    sys.stdout.reconfigure(line_buffering=True)
    interrupted = False
    try:
        exec(compile(source, path, "exec", dont_inherit=True), g)
        status = 0
    except SystemExit as e:
        status = e.code
    except BaseException as e:
        tb = e.__traceback__.tb_next
        e.__traceback__ = tb
        if on_disk:
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
        import _signal
        _signal.signal(2, _signal.SIG_DFL)
        posix.kill(posix.getpid(), 2)
    _exit(status)
_playground_main()
)PY";

constexpr const char* kPycCompiler = R"PY(import sys
import importlib.util, importlib._bootstrap_external as external
data = sys.stdin.buffer.read()
code = compile(data, sys.argv[1], "exec", dont_inherit=True)
sys.stdout.buffer.write(external._code_to_hash_pyc(
    code, importlib.util.source_hash(data), False))
)PY";

}  // namespace

const char* pyc_compiler_source() { return kPycCompiler; }

std::string site_hook_source(std::string_view machine_sitecustomize) {
  std::string source(kSiteHookMarker);
  source += " (see playground's src/sandbox/python_startup.h).\n";
  source += kReceiveSource;
  source += kSiteHookTail;
  source += machine_sitecustomize;
  return source;
}

const std::string& fallback_bootstrap_source() {
  static const std::string source = std::string(kReceiveSource) + kFallbackMain;
  return source;
}

}  // namespace playground::sandbox
