#!/usr/bin/env python3
"""Holds N idle HTTP/1.1 keep-alive connections open against a server.

    idle_connections.py HOST PORT [--connections N] --pid PID [--pid PID ...]

Opens N connections (in batches), sends GET /healthz on each and reads the
answer (it must be 200 and keep the connection alive), then, with all of them
held and idle for a few seconds: reads the server's resident memory (VmRSS,
summed over every --pid, e.g. an nginx master and its workers), times
GET /healthz on fresh connections (median of 10), and finally asks /healthz
again on every held connection, so "connections_open" counts only those the
server really kept. Prints one JSON line. Python standard library only.
"""
import argparse
import asyncio
import json
import resource
import statistics
import sys
import time

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
BATCH = 500  # below nginx's default listen backlog (511)
TIMEOUT_S = 10
# Idle connections are what is measured, not ones between two requests:
# playground-frontend parks a connection idle for a whole second (1 to 2 s
# after its last request) and gives its read buffer's memory back then.
SETTLE_S = 3


def rss_kb(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return total


async def exchange(reader, writer):
    """One GET /healthz on an open connection; True when 200 and kept alive."""
    writer.write(REQUEST)
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
    length = 0
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return head.startswith("http/1.1 200") and "connection: close" not in head


async def open_one(host, port):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        if await exchange(reader, writer):
            return reader, writer
    except Exception:
        pass
    writer.close()
    return None


async def still_open(conn):
    try:
        return await asyncio.wait_for(exchange(*conn), TIMEOUT_S)
    except Exception:
        return False


async def fresh_request_ms(host, port):
    start = time.perf_counter()
    conn = await asyncio.wait_for(open_one(host, port), TIMEOUT_S)
    if conn is None:
        raise RuntimeError("a fresh GET /healthz did not answer 200")
    elapsed = (time.perf_counter() - start) * 1000
    conn[1].close()
    return elapsed


async def main(args):
    before = rss_kb(args.pid)
    held, failed = [], 0
    for start in range(0, args.connections, BATCH):
        batch = min(BATCH, args.connections - start)
        results = await asyncio.gather(
            *(asyncio.wait_for(open_one(args.host, args.port), TIMEOUT_S) for _ in range(batch)),
            return_exceptions=True)
        for r in results:
            if isinstance(r, tuple):
                held.append(r)
            else:
                failed += 1
    await asyncio.sleep(SETTLE_S)
    after = rss_kb(args.pid)
    fresh = statistics.median([await fresh_request_ms(args.host, args.port) for _ in range(10)])
    alive = 0
    for start in range(0, len(held), BATCH):
        alive += sum(await asyncio.gather(*(still_open(c) for c in held[start:start + BATCH])))
    for _, writer in held:
        writer.close()
    print(json.dumps({"connections_open": alive, "failed": failed + len(held) - alive,
                      "rss_kb_before": before, "rss_kb_after": after,
                      "fresh_request_ms": round(fresh, 3)}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("--connections", type=int, default=10000)
    parser.add_argument("--pid", type=int, action="append", required=True,
                        help="process whose VmRSS counts (repeat to sum several)")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < args.connections + 100:
        sys.exit(f"idle_connections.py: the open-file hard limit is {hard}, below "
                 f"{args.connections} connections + 100; raise it (ulimit -Hn) or ask for fewer")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(main(args))
