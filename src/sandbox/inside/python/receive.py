# Shared by both ways of starting a sandbox's Python (python_startup.h):
# imports the modules the service names in its first line on fd 3 (numpy
# and pandas for a data sandbox, none for the others), says on fd 5 that
# Python is ready (with the CPU time the imports took, which is not the
# program's), waits for the program on fd 3, writes the given files and
# main.py into the working directory, and returns (source, args, main.py
# written). Concatenated before site_hook.py or fallback_main.py at build
# time; its names are deleted before the program.
def _playground_receive():
    import posix, sys
    # The first 64 bytes, written at once before anything else (the program
    # may follow at once when the service does not wait for "ready").
    head = b""
    while len(head) < 64:
        chunk = posix.read(3, 64 - len(head))
        if not chunk:
            break
        head += chunk
    preload = head.decode("ascii", "replace").split()
    ready = b"r"
    if preload:
        import time
        for name in preload:
            try:
                __import__(name)
            except Exception:
                pass  # the program's own import says why
        # What the imports made lives until the end: out of the collector's
        # way, so neither the program's collections nor the interpreter's
        # exit walk it again (~40 ms at exit for pandas).
        import gc
        gc.freeze()
        ready += b"%d" % (time.process_time_ns() // 1000)
    posix.write(5, ready)
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
