#!/usr/bin/python3
"""Grading benchmark: a 10-case exercise graded end to end by POST /py/grade,
beside the same 10 cases run one by one through POST /py/eval (what a client
without /py/grade would do), against one running playground-backend.

    bench/grade.py --port 6000 [--rounds 30]

Each round grades once and evaluates the ten cases once, alternating, so both
see the same machine. Prints a Markdown table (p50, p99, per-round mean) and
the ratio of the p50s. Every answer is checked: all ten cases must pass.
"""
import argparse
import http.client
import json
import statistics
import sys
import time

PROGRAM = "a, b = map(int, input().split())\nprint(a + b)\n"
CASES = [{"name": f"case {i}", "stdin": f"{i} {i * 7}\n",
          "expected_stdout": f"{i * 8}\n"} for i in range(10)]


def post(conn, path, body):
    conn.request("POST", path, json.dumps(body),
                 {"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        sys.exit(f"{path} answered {response.status}: {data[:300]!r}")
    return json.loads(data)


def grade_once(conn):
    report = post(conn, "/py/grade", {"code": PROGRAM, "tests": CASES})
    if report["passed"] != len(CASES):
        sys.exit(f"grading failed: {report}")


def eval_one_by_one(conn):
    for case in CASES:
        result = post(conn, "/py/eval", {"code": PROGRAM, "stdin": case["stdin"]})
        if result["stdout"] != case["expected_stdout"]:
            sys.exit(f"evaluation gave {result}")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
    grade_once(conn)  # warm-up: the pool, the connection
    eval_one_by_one(conn)
    timings = {"grade": [], "eval": []}
    for _ in range(args.rounds):
        for name, work in (("grade", grade_once), ("eval", eval_one_by_one)):
            start = time.perf_counter()
            work(conn)
            timings[name].append((time.perf_counter() - start) * 1000)
    rows = {
        "grade": "POST /py/grade, 10 cases in one request",
        "eval": "POST /py/eval, the same 10 cases one by one",
    }
    print("| 10-case exercise, end to end | p50 ms | p99 ms | mean ms |")
    print("|---|---|---|---|")
    for name, label in rows.items():
        t = timings[name]
        print(f"| {label} | {percentile(t, 50):.1f} | {percentile(t, 99):.1f} "
              f"| {statistics.mean(t):.1f} |")
    ratio = percentile(timings["eval"], 50) / percentile(timings["grade"], 50)
    print()
    print(f"- grading is {ratio:.2f}x faster at p50 than the cases one by one "
          f"({args.rounds} rounds each, alternating)")


if __name__ == "__main__":
    main()
