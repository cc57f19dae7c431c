#!/usr/bin/env python3
"""Container tests: the real images, built here, run with the privileges that
deploy/ grants them. One CTest test per case (label e2e):

    container_test.py setup      # Docker engine, base image, both images
    container_test.py <case>     # one case, see CASES below
    container_test.py cleanup    # every container and image tag made here

Containers use the host's network and listen on 127.0.0.1 only; the compose
case publishes the frontend on 127.0.0.1 only. Every container made here
carries the label playground.e2e, so cleanup finds them all.
"""

import glob
import json
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from cases import Failure, case, check, free_port, http, main  # noqa: E402

SOURCE = os.environ.get(
    "PLAYGROUND_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TAG = os.environ.get("PLAYGROUND_E2E_TAG", "e2e")
BACKEND_IMAGE = f"playground-backend:{TAG}"
FRONTEND_IMAGE = f"playground-frontend:{TAG}"
LABEL = "playground.e2e"
TOKEN = "e2e-shared-token"
SECCOMP = os.path.join(SOURCE, "deploy/docker/seccomp-backend.json")

# The backend container's privileges: what deploy/compose.yaml grants (the
# case `privileges_match_compose` keeps the two equal).
BACKEND_CAPS = ["SYS_ADMIN", "SETUID", "SETGID", "SETPCAP"]


def run(*args, check_status=True, timeout=600, **kwargs):
    result = subprocess.run(list(args), capture_output=True, text=True,
                            timeout=timeout, **kwargs)
    if check_status and result.returncode != 0:
        raise Failure(f"{' '.join(args)} failed ({result.returncode}):\n"
                      f"{result.stdout}{result.stderr}")
    return result


# ---------------------------------------------------------------- HTTP


def evaluate(port, code, path="/py/eval", stdin="", timeout_ms=None, token=TOKEN):
    body = {"code": code, "stdin": stdin}
    if timeout_ms is not None:
        body["timeout_ms"] = timeout_ms
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    status, response_headers, raw = http(
        "POST", f"http://127.0.0.1:{port}{path}", body, headers)
    try:
        answer = json.loads(raw)
    except ValueError:
        raise Failure(f"not JSON ({status}): {raw[:300]!r}")
    return status, answer, response_headers


# ---------------------------------------------------------------- containers


class Container:
    """One container, removed (with its logs shown on failure) when done."""

    def __init__(self, name, image, args, env, run_flags=()):
        self.name = f"playground-e2e-{name}"
        run("docker", "rm", "-f", self.name, check_status=False)
        command = ["docker", "run", "-d", "--name", self.name,
                   "--label", LABEL, *run_flags]
        for key, value in env.items():
            command += ["-e", f"{key}={value}"]
        command += [image, *args]
        run(*command)

    def logs(self):
        result = run("docker", "logs", self.name, check_status=False)
        return result.stdout + result.stderr

    def state(self):
        out = run("docker", "inspect", "-f", "{{json .State}}", self.name).stdout
        return json.loads(out)

    def processes(self):
        """Command lines of every process in the container (from the host)."""
        out = run("docker", "top", self.name, "-eo", "pid,user,args",
                  check_status=False).stdout
        return out.splitlines()[1:]

    def wait_healthy(self, port, deadline_s=60):
        end = time.time() + deadline_s
        while time.time() < end:
            try:
                status, _, _ = http("GET", f"http://127.0.0.1:{port}/healthz",
                                    timeout=2)
            except OSError:
                status = None
            # With host networking another server on the port could answer
            # for this one; free_port never hands a port out twice, and a
            # container that has exited is reported at once, not waited for.
            running = self.state().get("Running")
            if status == 200 and running:
                return
            if not running:
                raise Failure(f"{self.name} exited:\n{self.logs()}")
            time.sleep(0.2)
        raise Failure(f"{self.name} not healthy on :{port} after {deadline_s} s:\n"
                      f"{self.logs()}")

    def remove(self):
        run("docker", "rm", "-f", self.name, check_status=False)


def backend_flags(privileged_set=True):
    flags = ["--network", "host", "--read-only"]
    if privileged_set:
        flags += ["--cap-drop", "ALL"]
        for cap in BACKEND_CAPS:
            flags += ["--cap-add", cap]
        flags += ["--security-opt", f"seccomp={SECCOMP}",
                  "--security-opt", "no-new-privileges"]
    return flags


def start_backend(name, port, privileged_set=True, stop_timeout=None):
    flags = backend_flags(privileged_set)
    if stop_timeout is not None:
        flags += ["--stop-timeout", str(stop_timeout)]
    c = Container(name, BACKEND_IMAGE, [],
                  {"PLAYGROUND_BIND": "127.0.0.1", "PLAYGROUND_PORT": port,
                   "PLAYGROUND_TOKEN": TOKEN}, flags)
    c.wait_healthy(port)
    return c


def start_frontend(name, port, backends):
    listed = ",".join(f"{n}=http://127.0.0.1:{p}" for n, p in backends)
    c = Container(name, FRONTEND_IMAGE, [],
                  {"PLAYGROUND_BIND": "127.0.0.1", "PLAYGROUND_PORT": port,
                   "PLAYGROUND_TOKEN": TOKEN, "PLAYGROUND_BACKENDS": listed,
                   # The tests send bursts from one address.
                   "PLAYGROUND_RATE_LIMIT": "1000", "PLAYGROUND_RATE_BURST": "1000"},
                  ["--network", "host", "--read-only", "--cap-drop", "ALL",
                   "--security-opt", "no-new-privileges"])
    c.wait_healthy(port)
    return c


class Stack:
    """Two backend containers (gke, aks) and a frontend container."""

    def __init__(self, case):
        self.ports = {"gke": free_port(), "aks": free_port()}
        self.frontend_port = free_port()
        self.containers = {}
        try:
            for name, port in self.ports.items():
                self.containers[name] = start_backend(f"{case}-{name}", port)
            self.containers["frontend"] = start_frontend(
                f"{case}-frontend", self.frontend_port, self.ports.items())
            self.wait_all_healthy()
        except BaseException:
            self.remove()
            raise

    def wait_all_healthy(self, deadline_s=30):
        end = time.time() + deadline_s
        while time.time() < end:
            # With the shared token set, the backends are shown only with it.
            status, _, raw = http(
                "GET", f"http://127.0.0.1:{self.frontend_port}/api/backends",
                headers={"Authorization": f"Bearer {TOKEN}"})
            check(status == 200, f"/api/backends answered {status}: {raw[:300]!r}")
            listed = json.loads(raw)["backends"]
            if listed and all(b.get("healthy") for b in listed):
                return
            time.sleep(0.2)
        raise Failure(f"backends not all healthy: {listed}")

    def python(self, code, **kwargs):
        return evaluate(self.frontend_port, code, path="/python", **kwargs)

    def remove(self):
        for c in self.containers.values():
            c.remove()


# ---------------------------------------------------------------- cases

@case
def lint_dockerfile():
    """dockerfile-utils finds nothing, and the rules of this project hold."""
    lint = os.path.join(SOURCE, "tests/e2e/node_modules/.bin/dockerfile-utils")
    dockerfile = os.path.join(SOURCE, "deploy/docker/Dockerfile")
    result = run(lint, "lint", dockerfile, check_status=False)
    check(result.returncode == 0 and not (result.stdout + result.stderr).strip(),
          f"dockerfile-utils found:\n{result.stdout}{result.stderr}")
    text = open(dockerfile).read()
    for base in re.findall(r"^FROM\s+(\S+)", text, re.M):
        check(re.fullmatch(r"debian:bookworm-slim(@sha256:[0-9a-f]{64})?", base),
              f"base image {base} is not the pinned debian:bookworm-slim")
    stages = re.split(r"^FROM ", text, flags=re.M)[1:]
    for stage in stages:
        name = stage.split()[2]
        if name == "builder":
            continue
        check("HEALTHCHECK" in stage, f"stage {name} has no HEALTHCHECK")
        check("LABEL" in stage, f"stage {name} has no labels")
        check("apt-get" not in stage or "rm -rf /var/lib/apt/lists" in stage,
              f"stage {name} keeps apt's lists")
    frontend = [s for s in stages if s.split()[2] == "frontend"][0]
    check(re.search(r"^USER\s+[1-9]", frontend, re.M),
          "the frontend stage does not switch to a non-root user")


@case
def bare_debian_first_step():
    """On a minimal Debian 12 (debootstrap minbase, no make), the README's
    commands start: ./playground installs make and hands over to the
    Makefile (shown with make -n: its plan, nothing built here)."""
    mounts = []
    for name in ("playground", "Makefile", "scripts"):
        mounts += ["-v", f"{os.path.join(SOURCE, name)}:/w/{name}:ro"]
    result = run("docker", "run", "--rm", *mounts, "debian:bookworm-slim", "bash", "-c",
                 "command -v make && exit 3; cd /w && ./playground -n test && command -v make",
                 check_status=False, timeout=600)
    out = result.stdout + result.stderr
    check(result.returncode == 0, f"exit {result.returncode}:\n{out[-2000:]}")
    check("installing make" in out, f"make was not installed by ./playground:\n{out[-2000:]}")
    check("scripts/install-deps.sh --containers" in out and "scripts/run-tests.sh" in out,
          f"make test's plan is not the Makefile's:\n{out[-2000:]}")
    print("bare Debian: ./playground installed make and ran make -n test")


@case
def image_contents():
    """No compiler or build tool in either image; labels, users, health."""
    for image in (BACKEND_IMAGE, FRONTEND_IMAGE):
        found = run("docker", "run", "--rm", "--network", "none",
                    "--entrypoint", "/bin/sh", image, "-c",
                    "for t in gcc g++ cc c++ cmake ninja make npm node ld as; do "
                    # C headers (numpy links its own under
                    # /usr/include/python3.11, which builds nothing)
                    "command -v $t; done; ls /usr/include/*.h 2>/dev/null | head -3",
                    check_status=False).stdout.strip()
        check(found == "", f"{image} contains build tools:\n{found}")
        config = json.loads(run("docker", "image", "inspect", image).stdout)[0]["Config"]
        check(config.get("Healthcheck", {}).get("Test"), f"{image}: no HEALTHCHECK")
        labels = config.get("Labels") or {}
        check(labels.get("org.opencontainers.image.title"), f"{image}: no title label")
        check(labels.get("org.opencontainers.image.version"), f"{image}: no version label")
    # pid 1 of the backend's container is tini, which reaps orphans and
    # forwards signals to the backend (docker stop: stop_finishes_in_flight).
    entrypoint = json.loads(run("docker", "image", "inspect", BACKEND_IMAGE).stdout)[0][
        "Config"]["Entrypoint"]
    check(entrypoint[:2] == ["/usr/bin/tini", "--"],
          f"the backend's entrypoint is {entrypoint}, not tini")
    user = json.loads(run("docker", "image", "inspect", FRONTEND_IMAGE).stdout)[0]["Config"]["User"]
    check(user and not user.startswith("0") and user != "root",
          f"the frontend runs as {user!r}")
    # The backend's interpreter is the one the sandbox is configured to run.
    out = run("docker", "run", "--rm", "--network", "none", "--entrypoint",
              "/usr/bin/python3", BACKEND_IMAGE, "-I", "-S", "-c",
              "import sys; print(sys.version_info[:2])").stdout
    check(out.strip() == "(3, 11)", f"python in the backend image: {out!r}")


@case
def privileges_match_compose():
    """The capability list tested here is the one compose.yaml grants."""
    text = open(os.path.join(SOURCE, "deploy/compose.yaml")).read()
    granted = re.search(r"cap_add:\s*\[([^\]]*)\]", text)
    check(granted, "compose.yaml grants no capabilities to the backends")
    caps = [c.strip() for c in granted.group(1).split(",")]
    check(sorted(caps) == sorted(BACKEND_CAPS),
          f"compose.yaml grants {caps}, the tests use {BACKEND_CAPS}")
    check(not re.search(r"^\s*privileged:\s*true", text, re.M),
          "compose.yaml runs a privileged container")
    check("seccomp=deploy/docker/seccomp-backend.json" in text,
          "compose.yaml does not use the generated seccomp profile")


@case
def evaluation_with_full_isolation():
    """With the granted set every sandbox layer is active inside the container."""
    port = free_port()
    backend = start_backend("full", port)
    try:
        status, _, ready = http("GET", f"http://127.0.0.1:{port}/readyz",
                                headers={"Authorization": f"Bearer {TOKEN}"})
        ready = json.loads(ready)
        check(status == 200 and ready["sandbox_self_test"] == "passed",
              f"readyz: {ready}")
        isolation = ready["isolation"]
        check(isolation["missing"] == [], f"layers missing: {isolation}")
        check(isolation["namespaces"] and isolation["filesystem"] and
              isolation["seccomp"] and isolation["cgroups"] in ("v1", "v2"),
              f"isolation: {isolation}")
        status, answer, _ = evaluate(
            port, "import sys\nprint('hello', sys.stdin.read())", stdin="stdin")
        check(status == 200 and answer["status"] == "ok" and
              answer["stdout"] == "hello stdin\n", f"{status} {answer}")
        # Debian's numpy and pandas are in the image, importable in a sandbox
        # (twice: the second run gets a data sandbox, imported ahead).
        for _ in range(2):
            status, answer, _ = evaluate(
                port, "import numpy as np, pandas as pd\n"
                      "print(pd.DataFrame({'a': np.arange(3)}).a.sum())")
            check(status == 200 and answer["stdout"] == "3\n",
                  f"pandas: {status} {answer}")
        # Without the token the backend refuses.
        status, _, _ = evaluate(port, "print(1)", token=None)
        check(status == 401, f"no token: {status}")
        print("readyz isolation:", json.dumps(isolation))
    finally:
        backend.remove()


@case
def evaluation_without_privileges():
    """A plain `docker run` still serves, and says which layers are missing."""
    port = free_port()
    backend = start_backend("plain", port, privileged_set=False)
    try:
        status, _, ready = http("GET", f"http://127.0.0.1:{port}/readyz",
                                headers={"Authorization": f"Bearer {TOKEN}"})
        ready = json.loads(ready)
        check(status == 200 and ready["sandbox_self_test"] == "passed",
              f"readyz: {ready}")
        missing = ready["isolation"]["missing"]
        check(missing, f"no layer reported missing without privileges: {ready}")
        check(ready["warnings"], "no warning says why layers are missing")
        status, answer, _ = evaluate(port, "print(6 * 7)")
        check(status == 200 and answer["stdout"] == "42\n", f"{status} {answer}")
        # Whatever is missing, the user still cannot reach the network.
        # (The container shares the host's network: the backend's own port
        # is the nearest thing to reach.)
        status, answer, _ = evaluate(
            port, "import socket\ntry:\n"
                  f"    socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
                  "    print('CONNECTED')\n"
                  "except OSError as e:\n    print('refused')\n")
        check(answer["stdout"] == "refused\n", f"network without privileges: {answer}")
        # Nor can what it starts outlive the request (no pid namespace and no
        # cgroup here: each slot's own uid is what ends them).
        check_nothing_outlives(backend, port)
        status, answer, _ = evaluate(
            port, "import os\nwhile True:\n    try:\n        os.fork()\n"
                  "    except OSError:\n        pass\n", timeout_ms=1000)
        check(answer["status"] == "timeout", f"fork bomb: {answer}")
        time.sleep(0.5)
        users = [p.split()[1] for p in backend.processes()]
        strays = [u for u in users if u != "root"]
        # The pre-started sandboxes wait as their slot's user, one per slot.
        check(len(strays) <= 8, f"fork bomb left {len(strays)} processes")
        print("readyz isolation without privileges:", json.dumps(ready["isolation"]))
        print("warnings:", json.dumps(ready["warnings"]))
    finally:
        backend.remove()


DAEMON_MARK = "4242.5"

# Thirty detached sleepers and a busy loop past the deadline: whatever the
# isolation, none of them may outlive the request.
SCATTER = (
    "import os\n"
    "for i in range(30):\n"
    "    if os.fork() == 0:\n"
    "        os.setsid()\n"
    f"        os.execv('/bin/sleep', ['sleep', '{DAEMON_MARK}'])\n"
    "while True:\n"
    "    pass\n")


def check_nothing_outlives(backend, port):
    status, answer, _ = evaluate(port, SCATTER, timeout_ms=1000)
    check(status == 200 and answer["status"] == "timeout", f"{status} {answer}")
    time.sleep(0.5)
    left = [p for p in backend.processes() if DAEMON_MARK in p]
    check(not left, f"{len(left)} processes outlived their request: {left[:3]}")


@case
def attacks_are_contained():
    """The hostile suite's core attacks, inside the container."""
    port = free_port()
    backend = start_backend("hostile", port)
    try:
        def attack(code, timeout_ms=2000):
            status, answer, _ = evaluate(port, code, timeout_ms=timeout_ms)
            check(status == 200, f"{status} {answer}")
            return answer

        # The process check must be able to fail: it sees a running snippet.
        seen = {}

        def slow():
            seen["answer"] = attack(
                f"import subprocess\nsubprocess.run(['/bin/sleep', '{DAEMON_MARK}'])\n",
                timeout_ms=1500)
        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.8)
        during = [p for p in backend.processes() if DAEMON_MARK in p]
        thread.join()
        check(during, "the process check does not see a running snippet")

        answer = attack("import os\nwhile True:\n    try:\n        os.fork()\n"
                        "    except OSError:\n        pass\n", 1000)
        check(answer["status"] == "timeout", f"fork bomb: {answer}")

        answer = attack("x = []\nwhile True:\n    x.append(' ' * 10**6)\n")
        check(answer["status"] == "memory_limit", f"memory bomb: {answer}")

        answer = attack(
            "import socket\n"
            "try:\n    socket.create_connection(('127.0.0.1', %d), timeout=1)\n"
            "    print('CONNECTED')\n"
            "except OSError as e:\n    print('refused')\n" % port)
        check(answer["stdout"] == "refused\n", f"network: {answer}")

        answer = attack(
            "import os\n"
            "for p in ['/proc/1/environ', '/proc/1/root/etc/hostname', "
            "'/opt/playground/bin/playground-backend', '/etc/shadow']:\n"
            "    try:\n        open(p, 'rb').read(); print('READ', p)\n"
            "    except OSError:\n        print('refused', p)\n"
            "for p in ['/etc/evil', '/usr/evil', '/evil']:\n"
            "    try:\n        open(p, 'w').write('x'); print('WROTE', p)\n"
            "    except OSError:\n        print('refused', p)\n"
            "print(sorted(os.environ))\n")
        out = answer["stdout"]
        # ("READ /": the environment names OPENBLAS_NUM_THREADS)
        check("READ /" not in out and "WROTE /" not in out, f"filesystem: {out}")
        check(TOKEN not in out and "PLAYGROUND" not in out, f"environment: {out}")

        answer = attack(
            "import os, time\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            f"        os.execv('/bin/sleep', ['sleep', '{DAEMON_MARK}'])\n"
            "    os._exit(0)\n"
            "os.wait()\n"
            "time.sleep(0.2)\n"
            "print('parent leaves')\n")
        check(answer["stdout"] == "parent leaves\n", f"daemon: {answer}")
        time.sleep(0.5)
        left = [p for p in backend.processes() if DAEMON_MARK in p]
        check(not left, f"a daemon outlived its request: {left}")
        check_nothing_outlives(backend, port)

        # After all of it the backend still serves.
        status, answer, _ = evaluate(port, "print('still here')")
        check(answer["stdout"] == "still here\n", f"after the attacks: {answer}")
    finally:
        backend.remove()


@case
def frontend_alternates():
    """Ten requests through the frontend container alternate gke, aks."""
    stack = Stack("rr")
    try:
        served = []
        for i in range(10):
            status, answer, headers = stack.python(f"print({i} * 3)")
            check(status == 200 and answer["stdout"] == f"{i * 3}\n",
                  f"request {i}: {status} {answer}")
            served.append(headers.get("X-Playground-Backend"))
        check(set(served) == {"gke", "aks"} and
              all(a != b for a, b in zip(served, served[1:])),
              f"not alternating: {served}")
        print("served by:", served)
    finally:
        stack.remove()


@case
def kill_loses_nothing():
    """docker kill of one backend under two request streams loses none."""
    stack = Stack("kill")
    try:
        results, lock, stop = [], threading.Lock(), threading.Event()

        def stream(worker):
            i = 0
            while not stop.is_set():
                n = worker * 100000 + i
                try:
                    status, answer, headers = stack.python(f"print({n} * 2)")
                    ok = status == 200 and answer.get("stdout") == f"{n * 2}\n"
                    who = headers.get("X-Playground-Backend")
                except Exception as e:  # a lost request
                    ok, who, status, answer = False, None, None, repr(e)
                with lock:
                    results.append((time.time(), ok, who, status, answer))
                i += 1

        threads = [threading.Thread(target=stream, args=(w,)) for w in range(2)]
        for t in threads:
            t.start()
        time.sleep(2)
        run("docker", "kill", stack.containers["gke"].name)
        # The outage starts once gke is gone: `docker kill` itself takes a
        # while under load, and gke answers until the signal lands (a few
        # answers relayed just then may still complete after).
        gone_by = time.time() + 10
        while stack.containers["gke"].state().get("Running"):
            check(time.time() < gone_by, "gke still runs 10 s after docker kill")
            time.sleep(0.02)
        killed_at = time.time()
        time.sleep(3)
        run("docker", "start", stack.containers["gke"].name)
        restarted_at = time.time()
        # Until gke answers again (health checks readmit it), then a little more.
        deadline = time.time() + 30
        while time.time() < deadline:
            with lock:
                back = [r for r in results if r[0] > restarted_at and r[2] == "gke"]
            if len(back) >= 3:
                break
            time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join()
        failed = [r for r in results if not r[1]]
        before = [r for r in results if r[0] < killed_at]
        after_kill = [r for r in results if killed_at <= r[0] < restarted_at]
        back = [r for r in results if r[0] > restarted_at and r[2] == "gke"]
        print(f"requests: {len(results)}, failed: {len(failed)}, "
              f"during the outage: {len(after_kill)}, gke again: {len(back)}")
        check(not failed, f"{len(failed)} requests failed: {failed[:3]}")
        check({r[2] for r in before} == {"gke", "aks"}, "both did not serve before")
        from_gke = [round(r[0] - killed_at, 3) for r in after_kill[5:] if r[2] != "aks"]
        check(after_kill and not from_gke,
              f"aks did not take over: answers from gke at {from_gke[:5]} s after the kill")
        check(len(back) >= 3, "gke did not come back into rotation")
    finally:
        stack.remove()


@case
def stop_finishes_in_flight():
    """docker stop lets the running evaluation finish, then the backend exits 0."""
    port = free_port()
    backend = start_backend("stop", port, stop_timeout=20)
    try:
        answers = {}

        def slow():
            answers["slow"] = evaluate(
                port, "import time\ntime.sleep(2)\nprint('finished')", timeout_ms=5000)
        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.5)
        started = time.time()
        run("docker", "stop", backend.name)
        took = time.time() - started
        thread.join()
        status, answer, _ = answers["slow"]
        check(status == 200 and answer["stdout"] == "finished\n",
              f"in-flight request: {status} {answer}")
        state = backend.state()
        check(state["ExitCode"] == 0, f"exit code {state['ExitCode']}:\n{backend.logs()}")
        check(took >= 1.0, f"stop took {took:.2f} s: it did not wait for the request")
        print(f"docker stop took {took:.2f} s; the request finished; exit 0")
    finally:
        backend.remove()


@case
def compose_stack():
    """deploy/compose.yaml, run for real: healthy, alternating, token on."""
    port = free_port()
    env = dict(os.environ, PLAYGROUND_TOKEN=TOKEN, PLAYGROUND_PORT=str(port),
               PLAYGROUND_BACKEND_IMAGE=BACKEND_IMAGE,
               PLAYGROUND_FRONTEND_IMAGE=FRONTEND_IMAGE)
    project = "playground-e2e"
    compose = ["docker-compose", "-p", project, "-f",
               os.path.join(SOURCE, "deploy/compose.yaml")]
    try:
        run(*compose, "up", "-d", "--no-build", env=env, timeout=300, cwd=SOURCE)
        end = time.time() + 90
        served = []
        while time.time() < end and len(served) < 6:
            try:
                status, answer, headers = evaluate(port, "print('c')", path="/python")
                if status == 200 and answer["stdout"] == "c\n":
                    served.append(headers.get("X-Playground-Backend"))
            except (OSError, Failure):
                time.sleep(0.5)
        check(len(served) == 6, f"compose stack did not serve: {served}\n" +
              run(*compose, "logs", env=env, check_status=False, cwd=SOURCE).stdout[-3000:])
        check(set(served) == {"gke", "aks"}, f"not both backends: {served}")
        # Docker's own health checks (the images' --health-check) agree.
        end = time.time() + 60
        while True:
            states = run("docker", "ps", "--filter",
                         f"label=com.docker.compose.project={project}",
                         "--format", "{{.Names}} {{.Status}}").stdout.splitlines()
            if len(states) == 3 and all("(healthy)" in s for s in states):
                break
            check(time.time() < end, f"not all healthy: {states}")
            time.sleep(1)
        print("compose served by:", served)
    finally:
        run(*compose, "down", "-v", "--remove-orphans", env=env,
            check_status=False, timeout=120, cwd=SOURCE)


# ---------------------------------------------------------------- fixtures


def setup():
    scripts = os.path.join(SOURCE, "scripts")
    # Under CTest's 2400 s, so that a stuck build fails here, with its output.
    result = subprocess.run([os.path.join(scripts, "build-images.sh"), TAG],
                            timeout=2300)
    check(result.returncode == 0, "building the images failed")
    # The build is over, so nothing may hold its lock: a daemon started while
    # it was held (dockerd, once) kept it and stalled every later build.
    lock = "/tmp/playground-build-images.lock"
    holders = set()
    for fd in glob.glob("/proc/[0-9]*/fd/*"):
        try:
            if os.readlink(fd) == lock:
                holders.add(fd.split("/")[2])
        except OSError:  # gone meanwhile, or not ours to read
            pass
    check(not holders, f"processes still holding {lock}: {sorted(holders)}")
    # The linter, pinned by tests/e2e/package-lock.json.
    run(os.path.join(SOURCE, "tests/support/npm-ci.sh"),
        os.path.join(SOURCE, "tests/e2e"))
    if subprocess.run(["docker-compose", "version"], capture_output=True).returncode:
        run(os.path.join(scripts, "install-deps.sh"), "--containers")


def cleanup():
    ids = run("docker", "ps", "-aq", "--filter", f"label={LABEL}").stdout.split()
    if ids:
        run("docker", "rm", "-f", *ids)
    if subprocess.run(["sh", "-c", "command -v docker-compose"],
                      capture_output=True).returncode == 0:
        run("docker-compose", "-p", "playground-e2e", "-f",
            os.path.join(SOURCE, "deploy/compose.yaml"), "down", "-v",
            check_status=False, env=dict(os.environ, PLAYGROUND_TOKEN=TOKEN),
            cwd=SOURCE)
    for image in (BACKEND_IMAGE, FRONTEND_IMAGE):
        run("docker", "rmi", image, check_status=False)
    left = run("docker", "ps", "-aq", "--filter", f"label={LABEL}").stdout.split()
    check(not left, f"containers left: {left}")
    tags = run("docker", "images", "-q", BACKEND_IMAGE).stdout + \
        run("docker", "images", "-q", FRONTEND_IMAGE).stdout
    check(not tags.strip(), "image tags left")


if __name__ == "__main__":
    sys.exit(main(__doc__, setup=setup, cleanup=cleanup))
