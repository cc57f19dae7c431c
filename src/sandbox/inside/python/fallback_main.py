# The fallback's own part, after receive.py (python_startup.h): `site`'s
# additions made in place (importing site and its .pth files, or even
# _sitebuiltins, cost 2 ms of every start), a warmed compile() and frozen
# start-up objects, then the program through exec() with what
# `python3 main.py` would show, and Python's observable shutdown before
# _exit(), skipping the teardown nobody can observe. Every name used after
# the program ran is bound before it: the program shares these globals and
# may rebind print, int, SystemExit...
def _playground_main(SystemExit=SystemExit, BaseException=BaseException,
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
