# The rest of the sandbox's sitecustomize (python_startup.h), after
# receive.py. The machine's own sitecustomize is appended after it.
def _playground_site(receive):
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
    source, args, on_disk = receive()
    if not on_disk:
        sys.stderr.write("Cannot write main.py in the working directory.\n")
        sys.stderr.flush()
        posix._exit(1)
    sys.argv[1:] = args
    sys.orig_argv[2:] = args
    sys.stdout.reconfigure(line_buffering=True)
_playground_site(_playground_receive)
del _playground_receive, _playground_site
# The machine's own site customisation follows.
