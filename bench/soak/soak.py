#!/usr/bin/env python3
"""Soak and fault injection for the local stack (issue 8, part 1).

Starts a frontend in front of two backends ("gke" and "aks") on free loopback
ports, drives sustained concurrent load through the frontend with a mix of
snippets (hello world, CPU-heavy, timeouts, 1 MB output, output over the cap,
exceptions, stdin, exit codes, hostile snippets), and meanwhile kill -9s a
random backend at random moments and restarts it on the same port, never
both at once. Every answer is checked against what its snippet must give.

At the end it stops the stack (SIGTERM) and reports: requests sent, answered
correctly, failed (a wrong answer, or any non-200: a backend was always up),
lost (no answer or a connection error); p50/p99 latency; the RSS of each
program instance after warm-up and at its end; processes, mounts and cgroups
left behind. It prints a report, writes a JSON summary (--json), and exits 1
when the pass line is not met:
  zero failed, zero lost, zero leftovers, RSS growth under 10 % (the frontend
  over the whole run; each backend instance that lived long enough).

  bench/soak/soak.py --bin build/release/bin --duration 45      # short form
  bench/soak/soak.py --bin build/release/bin --duration 600 \\
      --kill-every 15:45 --json build/soak-long.json             # long form

Python 3 standard library only; run as root for the full sandbox (cgroups).
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

OUTPUT_CAP = 1 << 20  # the backends' default --output (stdout+stderr)


# --------------------------------------------------------------------------
# The mix: each snippet makes a request for a nonce and checks its answer.
# A check returns None when the answer is right, else what is wrong.


def expect(j, **fields):
    for k, v in fields.items():
        if j.get(k) != v:
            return f"{k} is {j.get(k)!r}, expected {v!r}"
    return None


CPU_EXPECTED = sum(i * i % 7 for i in range(300000))


def hello(n):
    return {"code": f'print("hello", {n})'}, lambda j: expect(
        j, status="ok", exit_code=0, stdout=f"hello {n}\n", stderr="")


def cpu_heavy(n):
    code = f"s = 0\nfor i in range(300000):\n    s += i * i % 7\nprint({n}, s)"
    return {"code": code}, lambda j: expect(
        j, status="ok", stdout=f"{n} {CPU_EXPECTED}\n")


def timeout_loop(n):
    return {"code": "while True:\n    pass\n", "timeout_ms": 300}, \
        lambda j: expect(j, status="timeout")


def timeout_sleep(n):
    # What was printed before the deadline is kept. The deadline counts from
    # handing over the code, so on a saturated machine a sandbox still
    # starting can use up the 400 ms before Python prints: "" is right then.
    code = f"import time\nprint({n}, flush=True)\ntime.sleep(60)\n"

    def check(j):
        wrong = expect(j, status="timeout")
        if wrong is None and j.get("stdout") not in (f"{n}\n", ""):
            wrong = f"stdout is {j.get('stdout')!r}"
        return wrong
    return {"code": code, "timeout_ms": 400}, check


def output_1mb(n):
    # 1,000,000 bytes and the nonce: under the 1 MiB cap, kept whole.
    code = f'import sys\nsys.stdout.write("x" * 1000000)\nprint({n})\n'
    return {"code": code}, lambda j: expect(
        j, status="ok", truncated=False, stdout="x" * 1000000 + f"{n}\n")


def output_over_cap(n):
    code = f'import sys\nprint({n})\nsys.stdout.write("y" * 3000000)\n'

    def check(j):
        wrong = expect(j, status="output_limit", truncated=True)
        out = j.get("stdout", "")
        if wrong is None and not out.startswith(f"{n}\ny"):
            wrong = "stdout does not start with the nonce"
        if wrong is None and len(out) + len(j.get("stderr", "")) != OUTPUT_CAP:
            wrong = f"kept {len(out)} bytes, expected the cap {OUTPUT_CAP}"
        return wrong
    return {"code": code}, check


def exception(n):
    code = f'def f():\n    raise ValueError("soak {n}")\nf()\n'

    def check(j):
        wrong = expect(j, status="error", exit_code=1, stdout="")
        err = j.get("stderr", "")
        if wrong is None and not err.endswith(f"ValueError: soak {n}\n"):
            wrong = f"stderr is {err[-80:]!r}"
        if wrong is None and 'main.py", line 3' not in err:
            wrong = "the traceback lacks main.py line 3"
        return wrong
    return {"code": code}, check


def stdin(n):
    code = "import sys\nprint(sys.stdin.read()[::-1])\n"
    data = f"stdin-{n}"
    return {"code": code, "stdin": data}, lambda j: expect(
        j, status="ok", stdout=data[::-1] + "\n")


def exit_code(n):
    return {"code": f"import sys\nprint({n})\nsys.exit(3)\n"}, lambda j: expect(
        j, status="error", exit_code=3, stdout=f"{n}\n")


def fork_bomb(n):
    code = ("import os\nwhile True:\n    try:\n        os.fork()\n"
            "    except OSError:\n        pass\n")
    return {"code": code, "timeout_ms": 500}, lambda j: expect(
        j, status="timeout")


def memory_bomb(n):
    code = "x = []\nwhile True:\n    x.append(' ' * 10**6)\n"
    return {"code": code}, lambda j: expect(j, status="memory_limit")


def no_network(n):
    # The sandbox's own loopback: nothing listens there, so nothing answers.
    code = ("import socket\ntry:\n    socket.create_connection(('127.0.0.1', 1))\n"
            f"except OSError:\n    print('refused', {n})\n")
    return {"code": code}, lambda j: expect(
        j, status="ok", stdout=f"refused {n}\n")


def host_secrets(n):
    # No host files, and the sandbox's own /proc: its pid namespace only.
    code = (f"import os\nprint({n}, os.path.exists('/etc/shadow'), "
            "sum(p.isdigit() for p in os.listdir('/proc')) < 10)\n")
    return {"code": code}, lambda j: expect(
        j, status="ok", stdout=f"{n} False True\n")


def kill_everything(n):
    code = f"import os\ntry:\n    os.kill(-1, 9)\nexcept PermissionError:\n    print('refused', {n})\n"
    return {"code": code}, lambda j: expect(
        j, status="ok", stdout=f"refused {n}\n")


MIX = [  # (kind, weight, maker)
    ("hello", 30, hello),
    ("cpu_heavy", 8, cpu_heavy),
    ("timeout_loop", 4, timeout_loop),
    ("timeout_sleep", 4, timeout_sleep),
    ("output_1mb", 4, output_1mb),
    ("output_over_cap", 2, output_over_cap),
    ("exception", 10, exception),
    ("stdin", 10, stdin),
    ("exit_code", 6, exit_code),
    ("fork_bomb", 2, fork_bomb),
    ("memory_bomb", 2, memory_bomb),
    ("no_network", 3, no_network),
    ("host_secrets", 3, host_secrets),
    ("kill_everything", 2, kill_everything),
]


# --------------------------------------------------------------------------
# Processes.


def free_ports(count):
    """`count` different loopback ports nobody listens on now (the kernel may
    hand a just-closed port out again, so all are held open until chosen)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def http_get(port, path, timeout=2.0):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body
    except (OSError, http.client.HTTPException):
        return 0, b""


class Program:
    """One program of the stack; restarted as a new instance after kill -9."""

    def __init__(self, name, argv, port, log_dir):
        self.name, self.argv, self.port, self.log_dir = name, argv, port, log_dir
        self.proc = None
        self.instances = []  # dicts: pid, started, ended, how, samples
        self.lock = threading.Lock()

    def start(self):
        log = open(os.path.join(
            self.log_dir, f"{self.name}-{len(self.instances)}.log"), "wb")
        # If the driver dies, its programs die with it.
        self.proc = subprocess.Popen(
            ["/usr/bin/setpriv", "--pdeathsig", "KILL"] + self.argv,
            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        with self.lock:
            self.instances.append({"pid": self.proc.pid, "started": time.time(),
                                   "ended": None, "how": None, "samples": []})

    def wait_ready(self, timeout=30.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            if http_get(self.port, "/readyz", 1.0)[0] == 200:
                return True
            time.sleep(0.05)
        return False

    def sample(self):
        with self.lock:
            if self.proc is None or not self.instances:
                return
            inst = self.instances[-1]
            if inst["ended"] is None:
                kb = rss_kb(inst["pid"])
                if kb is not None:
                    inst["samples"].append((time.time(), kb))

    def end(self, sig):
        self.sample()
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        with self.lock:
            inst = self.instances[-1]
            inst["ended"] = time.time()
            inst["how"] = "kill -9" if sig == signal.SIGKILL else "SIGTERM"
            inst["exit"] = self.proc.returncode
        return self.proc.returncode

    def up(self):
        return self.proc is not None and self.proc.poll() is None


# --------------------------------------------------------------------------
# What a run can leave behind.


def mount_table():
    """The host's mounts as (mount point, fs type) pairs, with repeats."""
    out = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            dash = fields.index("-")
            out.append((fields[4], fields[dash + 1]))
    return out


# Mounts that other work on a shared machine makes meanwhile (Docker's image
# layers and network namespaces): reported, never ours. A sandbox's mounts
# live in its own mount namespace (made private first); one that reached
# the host would be a tmpfs, proc or bind mount elsewhere.
FOREIGN_MOUNT_PREFIXES = ("/var/lib/docker/", "/run/docker/")


def added_mounts(before, after):
    rest = list(before)
    added = []
    for m in after:
        if m in rest:
            rest.remove(m)
        else:
            added.append(m)
    ours = [f"{p} ({t})" for p, t in added
            if not p.startswith(FOREIGN_MOUNT_PREFIXES)]
    foreign = [f"{p} ({t})" for p, t in added
               if p.startswith(FOREIGN_MOUNT_PREFIXES)]
    return ours, foreign


def proc_field(pid, name):
    try:
        with open(f"/proc/{pid}/{name}") as f:
            return f.read()
    except OSError:
        return ""


def sandbox_like_processes():
    """pid -> description of processes that look like ours: sandbox init,
    keeper, or anything running as a sandbox uid (65534, or a backend's
    per-slot range from 2^20 on)."""
    found = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        comm = proc_field(pid, "comm").strip()
        status = proc_field(pid, "status")
        m = re.search(r"^Uid:\s+(\d+)", status, re.M)
        ppid = re.search(r"^PPid:\s+(\d+)", status, re.M)
        if comm in ("pg-init", "pg-keeper") or (
                m and (m.group(1) == "65534" or int(m.group(1)) >= 1 << 20)):
            found[pid] = {"comm": comm, "ppid": ppid.group(1) if ppid else "?",
                          "cgroup": proc_field(pid, "cgroup")}
    return found


def cgroup_dirs_of(pids):
    names = {f"playground-{p}" for p in pids}
    out = []
    root = "/sys/fs/cgroup"
    for dirpath, dirnames, _ in os.walk(root):
        if dirpath.count("/") > 8:
            dirnames[:] = []
            continue
        for d in dirnames:
            if d in names:
                out.append(os.path.join(dirpath, d))
    return sorted(out)


def leftovers(backend_pids, before_procs, before_mounts):
    """Everything our backends' sandboxes left: processes in their cgroups, or
    sandbox-like orphans (reparented to pid 1) that were not there before;
    host mounts added (but Docker's); their cgroups still present. Waits up
    to 3 s."""
    groups = tuple(f"/playground-{p}/" for p in backend_pids) + tuple(
        f"/playground-{p}\n" for p in backend_pids)
    for _ in range(30):
        procs = []
        for pid, p in sandbox_like_processes().items():
            ours = any(g in p["cgroup"] for g in groups)
            orphan = p["ppid"] == "1" and pid not in before_procs
            if ours or orphan:
                procs.append(f"{pid} ({p['comm']}, ppid {p['ppid']})")
        mounts, foreign = added_mounts(before_mounts, mount_table())
        cgroups = cgroup_dirs_of(backend_pids)
        if not procs and not mounts and not cgroups:
            break
        time.sleep(0.1)
    return {"processes": procs, "mounts_added": mounts, "cgroups": cgroups,
            "mounts_added_by_others": foreign}


# --------------------------------------------------------------------------
# Load.


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = self.correct = self.failed = self.lost = 0
        self.latencies = []
        self.by_kind = {}
        self.problems = []  # the first few failures and losses of each kind
        self.backends = {}

    def record(self, kind, outcome, ms=None, detail=None, backend=None):
        with self.lock:
            self.sent += 1
            setattr(self, outcome, getattr(self, outcome) + 1)
            k = self.by_kind.setdefault(
                kind, {"sent": 0, "correct": 0, "failed": 0, "lost": 0, "ms": []})
            k["sent"] += 1
            k[outcome] += 1
            if ms is not None:
                self.latencies.append(ms)
                k["ms"].append(ms)
            if backend:
                self.backends[backend] = self.backends.get(backend, 0) + 1
            if detail and k.setdefault("noted", 0) < 5:
                k["noted"] += 1
                self.problems.append(f"{time.strftime('%H:%M:%S')} {kind} "
                                     f"{outcome}: {detail}")


def client_loop(port, stats, stop, seed, timeout):
    rng = random.Random(seed)
    kinds = [k for k, w, _ in MIX for _ in range(w)]
    makers = {k: m for k, _, m in MIX}
    conn = None
    i = 0
    while not stop.is_set():
        kind = rng.choice(kinds)
        nonce = seed * 10_000_000 + i
        i += 1
        body, check = makers[kind](nonce)
        payload = json.dumps(body)
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/python", payload,
                         {"Content-Type": "application/json"})
            r = conn.getresponse()
            raw = r.read()
        except (OSError, http.client.HTTPException) as e:
            stats.record(kind, "lost", detail=f"{type(e).__name__}: {e}")
            conn.close()
            conn = None
            continue
        ms = (time.perf_counter() - t0) * 1000
        backend = r.getheader("X-Playground-Backend")
        if r.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = None
        if r.status != 200:
            stats.record(kind, "failed", ms,
                         f"HTTP {r.status}: {raw[:200]!r}", backend)
            continue
        try:
            answer = json.loads(raw)
            wrong = check(answer)
        except ValueError as e:
            wrong = f"not JSON: {e}"
        if wrong:
            stats.record(kind, "failed", ms, wrong, backend)
        else:
            stats.record(kind, "correct", ms, backend=backend)
    if conn is not None:
        conn.close()


def kill_and_restart(backends, rng, down_for, events):
    """kill -9 a random backend, restart it on its port after a random pause
    and wait until it is ready: the other one is up all the while. Runs on
    the main thread: --pdeathsig is tied to the thread that started a
    program, so one started from a thread that ends would die with it."""
    if not all(b.up() for b in backends):
        return  # never both at once
    victim = rng.choice(backends)
    t = time.time()
    victim.end(signal.SIGKILL)
    time.sleep(rng.uniform(*down_for))
    victim.start()
    ready = victim.wait_ready()
    events.append({"t": round(t, 2), "killed": victim.name,
                   "down_s": round(time.time() - t, 2), "restarted_ready": ready})
    if not ready:
        print(f"soak: {victim.name} did not come back", file=sys.stderr)


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    i = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return round(sorted_values[i], 2)


def median(values):
    v = sorted(values)
    return v[len(v) // 2] if v else None


def rss_summary(prog, warmup, min_life, window=5.0):
    """Per instance: RSS after `warmup` seconds of its life, and at its end,
    each the median of the samples of a `window`-second span, so that a 1 MB
    answer passing through at that moment is not taken for growth (a leak
    raises every sample; the maximum is reported too)."""
    out = []
    for inst in prog.instances:
        s = inst["samples"]
        if not s:
            continue
        first_t = inst["started"] + warmup
        last_t = s[-1][0]
        entry = {"pid": inst["pid"], "how_ended": inst["how"],
                 "life_s": round((inst["ended"] or time.time()) - inst["started"], 1),
                 "rss_warm_kb": median([kb for t, kb in s
                                        if first_t <= t < first_t + window]),
                 "rss_end_kb": median([kb for t, kb in s if t > last_t - window]),
                 "rss_max_kb": max(kb for _, kb in s)}
        if entry["rss_warm_kb"] and last_t - first_t >= window:
            entry["growth_pct"] = round(
                100.0 * (entry["rss_end_kb"] - entry["rss_warm_kb"])
                / entry["rss_warm_kb"], 1)
            entry["judged"] = last_t - first_t >= min_life
        out.append(entry)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="build/release/bin")
    ap.add_argument("--duration", type=float, default=45, help="seconds of load")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--kill-every", default="5:12",
                    help="seconds between kills, MIN:MAX (0:0: no kills)")
    ap.add_argument("--down-for", default="0.2:2", help="seconds down, MIN:MAX")
    ap.add_argument("--warmup", type=float, default=5,
                    help="seconds of an instance's life before its RSS baseline")
    ap.add_argument("--min-life", type=float, default=15,
                    help="a backend instance's RSS growth is judged when it "
                         "lived this long after warm-up")
    ap.add_argument("--rss-limit", type=float, default=10.0, help="percent")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--json", help="write the summary here")
    ap.add_argument("--log-dir", help="programs' logs (default: a temp dir)")
    args = ap.parse_args()

    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    kill_every = tuple(float(x) for x in args.kill_every.split(":"))
    down_for = tuple(float(x) for x in args.down_for.split(":"))
    log_dir = args.log_dir or tempfile.mkdtemp(prefix="playground-soak-")
    os.makedirs(log_dir, exist_ok=True)
    binp = os.path.abspath(args.bin)

    before_procs = set(sandbox_like_processes())
    before_mounts = mount_table()

    ports = dict(zip(("gke", "aks", "frontend"), free_ports(3)))
    backends = [Program(name, [f"{binp}/playground-backend", "--bind",
                               "127.0.0.1", "--port", str(ports[name])],
                        ports[name], log_dir) for name in ("gke", "aks")]
    frontend = Program("frontend", [
        f"{binp}/playground-frontend", "--bind", "127.0.0.1",
        "--port", str(ports["frontend"]), "--rate-limit", "0",
        # All its clients share one address: no per-client share here.
        "--runs-per-client", "1000",
        "--backends", ",".join(f"{b.name}=http://127.0.0.1:{b.port}"
                               for b in backends)], ports["frontend"], log_dir)
    programs = backends + [frontend]
    print(f"soak: seed {seed}, {args.clients} clients, {args.duration:.0f} s, "
          f"kill every {args.kill_every} s, logs in {log_dir}", flush=True)

    stats = Stats()
    stop = threading.Event()
    events = []
    threads = []
    try:
        for p in programs:
            p.start()
        for p in programs:
            if not p.wait_ready():
                print(f"soak: {p.name} did not start (see {log_dir})",
                      file=sys.stderr)
                return 2

        sampler_stop = threading.Event()

        def sampler():
            while not sampler_stop.wait(0.5):
                for p in programs:
                    p.sample()
        threading.Thread(target=sampler, daemon=True).start()

        started = time.time()
        for c in range(args.clients):
            t = threading.Thread(target=client_loop, args=(
                ports["frontend"], stats, stop, c + 1, 60.0), daemon=True)
            t.start()
            threads.append(t)
        next_kill = (started + rng.uniform(*kill_every)
                     if kill_every[1] > 0 else float("inf"))
        next_print = started + 1
        while time.time() - started < args.duration:
            time.sleep(0.05)
            if time.time() >= next_kill:
                kill_and_restart(backends, rng, down_for, events)
                next_kill = time.time() + rng.uniform(*kill_every)
            if time.time() >= next_print:
                next_print += 1
                with stats.lock:
                    line = (f"soak: {time.time() - started:5.0f} s  sent "
                            f"{stats.sent}  correct {stats.correct}  failed "
                            f"{stats.failed}  lost {stats.lost}  kills {len(events)}")
                print(line, flush=True)
        stop.set()
        for t in threads:
            t.join(timeout=90)
        elapsed = time.time() - started
        for p in programs:
            p.sample()
        _, metrics = http_get(ports["frontend"], "/metrics")
        sampler_stop.set()
    finally:
        stop.set()
        exits = {}
        for p in [frontend] + backends:
            if p.up():
                exits[p.name] = p.end(signal.SIGTERM)

    backend_pids = [i["pid"] for b in backends for i in b.instances]
    left = leftovers(backend_pids, before_procs, before_mounts)
    upstream = {}
    for m in re.finditer(r'playground_frontend_upstream_requests_total\{backend="(\w+)",'
                         r'outcome="(\w+)"\} (\d+)', metrics.decode(errors="replace")):
        upstream.setdefault(m.group(1), {})[m.group(2)] = int(m.group(3))

    lat = sorted(stats.latencies)
    rss = {p.name: rss_summary(p, args.warmup, args.min_life) for p in programs}
    # The frontend is never killed: judged over the whole run.
    for e in rss["frontend"]:
        e["judged"] = True
    rss_bad = [f"{name} pid {e['pid']}: {e['growth_pct']} %"
               for name, entries in rss.items() for e in entries
               if e.get("judged") and e.get("growth_pct", 0) >= args.rss_limit]
    judged = sum(1 for entries in rss.values() for e in entries if e.get("judged"))
    clean = not left["processes"] and not left["mounts_added"] and not left["cgroups"]
    reasons = []
    if stats.sent == 0:
        reasons.append("nothing was sent")
    if stats.failed:
        reasons.append(f"{stats.failed} failed")
    if stats.lost:
        reasons.append(f"{stats.lost} lost")
    if not clean:
        reasons.append("leftovers")
    if rss_bad:
        reasons.append("RSS growth over the limit: " + "; ".join(rss_bad))
    if kill_every[1] > 0 and not events:
        reasons.append("no backend was killed")
    if any(not e["restarted_ready"] for e in events):
        reasons.append("a killed backend did not come back")
    if exits.get("frontend", 0) != 0:
        reasons.append(f"the frontend exited {exits.get('frontend')} on SIGTERM")

    summary = {
        "seed": seed, "duration_s": round(elapsed, 1), "clients": args.clients,
        "sent": stats.sent, "correct": stats.correct, "failed": stats.failed,
        "lost": stats.lost,
        "requests_per_s": round(stats.sent / elapsed, 1) if elapsed else 0,
        "latency_ms": {"p50": percentile(lat, 0.50), "p99": percentile(lat, 0.99),
                       "max": round(lat[-1], 2) if lat else None},
        "by_kind": {k: {"sent": v["sent"], "correct": v["correct"],
                        "failed": v["failed"], "lost": v["lost"],
                        "p50_ms": percentile(sorted(v["ms"]), 0.5),
                        "p99_ms": percentile(sorted(v["ms"]), 0.99)}
                    for k, v in sorted(stats.by_kind.items())},
        "answered_by": stats.backends,
        "kills": events,
        "frontend_upstream_outcomes": upstream,
        "rss": rss, "rss_instances_judged": judged,
        "exit_on_sigterm": exits,
        "leftovers": left,
        "problems": stats.problems,
        "passed": not reasons, "reasons": reasons, "logs": log_dir,
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)

    print("\n== soak report ==")
    print(f"seed {seed}; {elapsed:.0f} s; {args.clients} clients; "
          f"{len(events)} backend kills (kill -9, restarted after "
          f"{args.down_for} s)")
    print(f"requests: sent {stats.sent}, correct {stats.correct}, "
          f"failed {stats.failed}, lost {stats.lost} "
          f"({summary['requests_per_s']}/s)")
    print(f"latency: p50 {summary['latency_ms']['p50']} ms, "
          f"p99 {summary['latency_ms']['p99']} ms, max {summary['latency_ms']['max']} ms")
    print("by kind: " + ", ".join(
        f"{k} {v['correct']}/{v['sent']}" for k, v in summary["by_kind"].items()))
    print(f"answered by: {stats.backends}")
    print(f"frontend upstream outcomes: {upstream}")
    print("RSS (kB, median of the 5 s after warm-up -> of the last 5 s):")
    for name, entries in rss.items():
        for e in entries:
            g = e.get("growth_pct")
            print(f"  {name:8} pid {e['pid']:>7} lived {e['life_s']:>6} s "
                  f"({e['how_ended']}): {e['rss_warm_kb']} -> {e['rss_end_kb']}"
                  f", max {e['rss_max_kb']}"
                  f" ({'n/a' if g is None else f'{g:+} %'}"
                  f"{', judged' if e.get('judged') else ''})")
    print(f"leftovers: processes {left['processes'] or 'none'}, "
          f"mounts {left['mounts_added'] or 'none'}, "
          f"cgroups {left['cgroups'] or 'none'}")
    if left["mounts_added_by_others"]:
        print(f"  (mounts added meanwhile by others, not counted: "
              f"{len(left['mounts_added_by_others'])} under "
              f"{', '.join(FOREIGN_MOUNT_PREFIXES)})")
    for p in stats.problems:
        print("  " + p)
    print("PASS" if not reasons else "FAIL: " + "; ".join(reasons))
    return 0 if not reasons else 1


if __name__ == "__main__":
    sys.exit(main())
