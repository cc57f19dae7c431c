"""What the Python test scripts share (tests/e2e, tests/cluster): each is run
once per case by CTest, `script.py CASE`, and prints PASS or FAIL.

    from cases import Failure, check, case, main
    @case
    def something_works():
        check(1 + 1 == 2, "arithmetic")
    sys.exit(main(__doc__, setup=setup, cleanup=cleanup))
"""
import json
import socket
import sys
import time
import urllib.error
import urllib.request

CASES = {}


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def case(function):
    """Registers a case under its function's name."""
    CASES[function.__name__] = function
    return function


_ports_handed_out = set()


def free_port():
    """A loopback port nobody listens on now, and never one this process has
    handed out before: the kernel may pick a just-closed port again, and two
    servers given the same port would answer for each other."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _ports_handed_out:
            _ports_handed_out.add(port)
            return port


def http(method, url, body=None, headers=None, timeout=30):
    """(status, headers, body bytes); never raises for an HTTP status. A dict
    body is sent as JSON."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if isinstance(body, dict):
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def main(doc, **fixtures):
    """Runs the case (or fixture: setup, cleanup) named by argv[1]."""
    names = list(CASES) + list(fixtures)
    if len(sys.argv) != 2 or sys.argv[1] not in names:
        print(doc + "\ncases: " + " ".join(CASES), file=sys.stderr)
        return 2
    name = sys.argv[1]
    action = fixtures.get(name) or CASES[name]
    started = time.time()
    try:
        action()
    except Failure as e:
        print(f"FAIL {name}: {e}", file=sys.stderr)
        return 1
    print(f"PASS {name} ({time.time() - started:.1f} s)")
    return 0
