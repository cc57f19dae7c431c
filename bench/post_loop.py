#!/usr/bin/env python3
"""Sends N POST /python back to back, spread over C keep-alive connections.

    post_loop.py HOST PORT N [C] [PATH]

Each connection sends its next request when its answer is in (the same small
body bench/frontend.sh sends), so the work is the same from run to run:
what bench/frontend_profile.sh needs to count instructions and system calls
per request (and bench/backend_profile.sh per run, with PATH /py/eval). Exits 1 if any answer is not 200. Python standard library only.
"""
import http.client
import sys
import threading

BODY = b'{"code":"print(\\"hello\\")"}'


def run(host, port, path, count, failures):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    for _ in range(count):
        conn.request("POST", path, BODY, {"Content-Type": "application/json"})
        answer = conn.getresponse()
        answer.read()
        if answer.status != 200:
            failures.append(answer.status)
    conn.close()


def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    connections = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    path = sys.argv[5] if len(sys.argv) > 5 else "/python"
    failures = []
    threads = [
        threading.Thread(target=run, args=(host, port, path, n // connections + (i < n % connections), failures))
        for i in range(connections)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit(f"post_loop.py: {len(failures)} answers were not 200 (first: {failures[0]})")


if __name__ == "__main__":
    main()
