#!/usr/bin/env python3
"""Differential test: each corpus program run as `python3 main.py` and through
playground-backend's POST /py/eval must give the same stdout, stderr and exit
code, byte for byte.

Usage:
  differential_test.py --bin BUILD_BIN_DIR [--corpus DIR] [--only SUBSTRING]
                       [--json OUT]

Reference run, for each program: `/usr/bin/python3 main.py` as uid/gid 65534
with no supplementary groups, an environment of exactly PATH=/usr/bin:/bin
LANG=C.UTF-8 HOME=/tmp OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 (the
backend's default --blas-threads), in /tmp holding only main.py (a fresh tmpfs in a new
mount namespace), the program's .stdin file (or nothing) on stdin, 10 s at
most. Service run: the real playground-backend on a free loopback port, the
same program and stdin POSTed as JSON with timeout_ms 10000.

Programs listed in intended.json (beside this file) may differ in the fields
listed there: differences the sandbox's limits and isolation make on
purpose. Programs listed in known.json are differences not yet fixed, each
with its issue: they are reported as "known open", counted neither passed
nor failed, and a known one that no longer differs (or differs elsewhere)
fails, so that the list stays true. Any other difference is a failure. The
last line printed is `N passed, M failed`; the exit code is 0 only when M is
0. Needs root (for the mount namespace and the uid switch).
"""

import argparse
import difflib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from cases import free_port  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ("stdout", "stderr", "exit_code")
TIMEOUT_S = 10
DIFF_LINES = 20

# Run by `unshare --mount --propagation private`, so the tmpfs on /tmp is
# private to this one run. The program arrives as a path ($1) and is opened
# before /tmp is covered; it never appears in argv or in this script.
REFERENCE_SCRIPT = r"""
set -e
exec 3< "$1"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
cat <&3 > /tmp/main.py
exec 3<&-
chown 65534:65534 /tmp/main.py
chmod 0644 /tmp/main.py
cd /tmp
umask 022
exec setpriv --reuid=65534 --regid=65534 --clear-groups \
    env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/tmp OPENBLAS_NUM_THREADS=1 \
    OMP_NUM_THREADS=1 /usr/bin/python3 main.py
"""


def log(*args):
    print(*args, flush=True)


# ---------------------------------------------------------------- reference


def _reader(pipe, chunks):
    try:
        while True:
            data = pipe.read1(65536) if hasattr(pipe, "read1") else pipe.read(65536)
            if not data:
                break
            chunks.append(data)
    except (OSError, ValueError):
        pass


def run_reference(program, stdin_path):
    """Runs one program as `python3 main.py`; returns stdout, stderr (bytes),
    exit_code (negative signal number when killed) and timed_out."""
    stdin = open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb")
    try:
        proc = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private",
             "sh", "-c", REFERENCE_SCRIPT, "sh", os.path.abspath(program)],
            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
            start_new_session=True, close_fds=True)
    finally:
        stdin.close()
    out, err = [], []
    readers = [threading.Thread(target=_reader, args=(proc.stdout, out), daemon=True),
               threading.Thread(target=_reader, args=(proc.stderr, err), daemon=True)]
    for t in readers:
        t.start()
    started = time.monotonic()
    timed_out = False
    try:
        proc.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        timed_out = True
    elapsed = time.monotonic() - started
    # Like the sandbox, which kills its whole pid namespace when Python
    # exits: nothing the program started outlives it.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    for t in readers:
        t.join(timeout=5)
    proc.stdout.close()
    proc.stderr.close()
    return {"stdout": b"".join(out), "stderr": b"".join(err),
            "exit_code": proc.returncode, "timed_out": timed_out,
            "time_s": round(elapsed, 3)}


# ------------------------------------------------------------------ service


class Backend:
    def __init__(self, bin_dir, workdir):
        self.path = os.path.join(bin_dir, "playground-backend")
        if not os.access(self.path, os.X_OK):
            raise RuntimeError(f"no executable {self.path}")
        self.log_path = os.path.join(workdir, "backend.log")
        self.proc = None
        self.port = None
        self.logfile = None

    def flags(self):
        help_text = subprocess.run([self.path, "--help"], capture_output=True,
                                   text=True, timeout=30)
        text = help_text.stdout + help_text.stderr
        wanted = [("--bind", "127.0.0.1"), ("--port", str(self.port)),
                  ("--wall", "10s"), ("--max-wall", "10s"),
                  ("--concurrency", "2"), ("--log-level", "warn")]
        missing = [f for f, _ in wanted[:4] if f not in text]
        if missing:
            raise RuntimeError("playground-backend --help lacks " + ", ".join(missing))
        args = []
        for flag, value in wanted:
            if flag in text:
                args += [flag, value]
        return args

    def start(self):
        self.port = free_port()
        cmd = [self.path] + self.flags()
        self.logfile = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=self.logfile, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"playground-backend exited with {self.proc.returncode}\n"
                                   + self.log_tail())
            try:
                with urllib.request.urlopen(self.url("/readyz"), timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError("playground-backend not ready after 90 s\n" + self.log_tail())

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.logfile:
            self.logfile.close()
        return self.proc.returncode

    def evaluate(self, code, stdin):
        body = json.dumps({"code": code, "stdin": stdin,
                           "timeout_ms": TIMEOUT_S * 1000}).encode()
        for attempt in range(20):
            req = urllib.request.Request(self.url("/py/eval"), data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
            started = time.monotonic()
            try:
                with urllib.request.urlopen(req, timeout=TIMEOUT_S + 50) as r:
                    answer = json.loads(r.read())
                    answer["http_time_s"] = round(time.monotonic() - started, 3)
                    return answer
            except urllib.error.HTTPError as e:
                text = e.read().decode("utf-8", "replace")
                if e.code == 503 and attempt < 19:
                    time.sleep(0.25)
                    continue
                return {"error": f"HTTP {e.code}: {text.strip()}"}
            except (urllib.error.URLError, OSError, ValueError) as e:
                return {"error": f"request failed: {e}"}
        return {"error": "service stayed busy (503)"}


# --------------------------------------------------------------- comparison


def as_bytes(value):
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogateescape")


def reference_view(ref):
    # The JSON answer carries text: the service replaces invalid UTF-8 by
    # U+FFFD, so the reference's bytes are read the same way (a no-op for
    # valid UTF-8, which is all the corpus prints).
    return {
        "stdout": ref["stdout"].decode("utf-8", "replace").encode("utf-8"),
        "stderr": ref["stderr"].decode("utf-8", "replace").encode("utf-8"),
        "exit_code": ref["exit_code"],
    }


def service_view(svc):
    return {
        "stdout": as_bytes(svc.get("stdout", "")),
        "stderr": as_bytes(svc.get("stderr", "")),
        "exit_code": svc.get("exit_code"),
    }


def short_diff(field, ref, svc):
    if field == "exit_code":
        return [f"    exit_code: reference {ref} != service {svc}"]
    a = ref.decode("utf-8", "replace").splitlines(keepends=True)
    b = svc.decode("utf-8", "replace").splitlines(keepends=True)
    lines = list(difflib.unified_diff(a, b, f"reference {field}", f"service {field}", n=1))
    out = []
    for ln in lines:
        ln = ln.rstrip("\n")
        if len(ln) > 160:
            ln = ln[:157] + "..."
        out.append("    " + ln)
    if not out:  # only a missing final newline differs
        out = [f"    {field}: reference {ref[-60:]!r} != service {svc[-60:]!r}"]
    if len(out) > DIFF_LINES:
        out = out[:DIFF_LINES] + [f"    ... ({len(out) - DIFF_LINES} more diff lines)"]
    return out


def load_intended(path):
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict):
        raise RuntimeError(f"{path}: expected a JSON object")
    for name, entry in data.items():
        bad = [x for x in entry.get("fields", []) if x not in FIELDS]
        if bad or not entry.get("reason"):
            raise RuntimeError(f"{path}: {name} needs a reason and fields from {FIELDS}")
    return data


def programs(corpus, only):
    names = sorted(n for n in os.listdir(corpus) if n.endswith(".py"))
    if only:
        names = [n for n in names if only in n]
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True, help="build bin directory holding playground-backend")
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--only", default="", help="run only programs whose file name contains this")
    ap.add_argument("--json", help="write per-program results to this file")
    ap.add_argument("--intended", default=os.path.join(HERE, "intended.json"))
    ap.add_argument("--known", default=os.path.join(HERE, "known.json"))
    opts = ap.parse_args()

    if os.geteuid() != 0:
        log("differential_test.py needs root (mount namespace, uid switch)")
        return 2
    intended = load_intended(opts.intended)
    known = load_intended(opts.known)
    both = set(intended) & set(known)
    if both:
        log(f"listed as both intended and known: {sorted(both)}")
        return 2
    names = programs(opts.corpus, opts.only)
    if not names:
        log("no programs selected")
        log("0 passed, 0 failed")
        return 1

    results = []
    passed = failed = 0
    known_open = []
    with tempfile.TemporaryDirectory(prefix="pg-differential-") as workdir:
        backend = None
        try:
            backend = Backend(opts.bin, workdir)
            backend.start()
            log(f"playground-backend ready on 127.0.0.1:{backend.port}; "
                f"{len(names)} programs")
            for name in names:
                path = os.path.join(opts.corpus, name)
                stdin_path = path[:-3] + ".stdin"
                if not os.path.exists(stdin_path):
                    stdin_path = None
                with open(path, "rb") as f:
                    code = f.read().decode("utf-8")
                stdin_text = ""
                if stdin_path:
                    with open(stdin_path, "rb") as f:
                        stdin_text = f.read().decode("utf-8")

                ref = run_reference(path, stdin_path)
                svc = backend.evaluate(code, stdin_text)

                entry = {"program": name,
                         "reference": {"stdout": ref["stdout"].decode("utf-8", "replace"),
                                       "stderr": ref["stderr"].decode("utf-8", "replace"),
                                       "exit_code": ref["exit_code"],
                                       "timed_out": ref["timed_out"],
                                       "time_s": ref["time_s"]},
                         "service": svc}
                if "error" in svc:
                    entry.update(result="failed", fields=["service"])
                    failed += 1
                    log(f"FAIL {name}: service error: {svc['error']}")
                    results.append(entry)
                    continue
                r, s = reference_view(ref), service_view(svc)
                differ = [f for f in FIELDS if r[f] != s[f]]
                entry["fields"] = differ
                allowed = intended.get(name) or known.get(name) or {}
                unexpected = [f for f in differ if f not in allowed.get("fields", [])]
                if name in known and not differ:
                    entry["result"] = "failed"
                    failed += 1
                    log(f"FAIL {name}: listed in known.json but no longer differs: "
                        "remove it from the list")
                elif name in known and not unexpected:
                    entry["result"] = "known"
                    known_open.append(name)
                    log(f"KNOWN {name}: {', '.join(differ)} ({allowed['reason']})")
                elif not differ:
                    entry["result"] = "passed"
                    passed += 1
                elif not unexpected:
                    entry["result"] = "intended"
                    passed += 1
                    log(f"INTENDED {name}: {', '.join(differ)} ({allowed['reason']})")
                else:
                    entry["result"] = "failed"
                    failed += 1
                    extra = f"; service status {svc.get('status')}"
                    if ref["timed_out"]:
                        extra += "; reference timed out"
                    if svc.get("truncated"):
                        extra += "; service output truncated"
                    log(f"FAIL {name}: {', '.join(differ)} differ{extra}")
                    first = unexpected[0]
                    for ln in short_diff(first, r[first], s[first]):
                        log(ln)
                results.append(entry)
        except KeyboardInterrupt:
            log("interrupted")
            failed += 1
        except Exception as e:  # the harness itself failed: report, stop the backend
            log(f"harness error: {e}")
            failed += 1
        finally:
            code = backend.stop() if backend else None
            if code not in (None, 0):
                log(f"note: playground-backend exited with {code} after SIGTERM")
                log(backend.log_tail(10))

    if opts.json:
        with open(opts.json, "w", encoding="utf-8") as f:
            json.dump({"passed": passed, "failed": failed, "programs": results},
                      f, indent=1, ensure_ascii=False)
    if known_open:
        log(f"{len(known_open)} known open (known.json, not counted): {', '.join(known_open)}")
    log(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
