#!/usr/bin/env python3
"""Interleaved A/B runs of bench clients against one nginx: what a change did, measured.

    bench/ab.py [--rounds N] [--op OP] [--threads N] [--secs S] [--free] CMD [CMD ...]

Each CMD is a client that speaks the bench protocol (it takes URL OP THREADS CALLS MAX_SECS
WARMUP and prints one JSON line: bench/c_bench.c, bench/go-ours, bench/floor.c, ...); quote a
command with arguments ("bench/work/venv/bin/python bench/py_bench.py ours"). The commands run
in turn, round after round, so that the host's drift lands on all of them alike; the script
starts its own nginx (bench/nginx.conf.in) and, unless --free, pins nginx's worker and each
client to one CPU by the PIDs it started. Prints, per command, the median and the least µs a
call (calls/s with --threads above 1) and the median CPU µs a call.

Build the clients first (`make bench` leaves them in bench/work/bin); this script builds nothing.
"""

import argparse
import os
import shlex
import statistics
import sys

import harness


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--op", default="DescribeIdentityPool", choices=[op for op, _ in harness.OPS])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--secs", type=float, default=1.0, help="each run's length")
    ap.add_argument("--free", action="store_true", help="let the scheduler place nginx and the clients")
    ap.add_argument("cmds", nargs="+", metavar="CMD")
    args = ap.parse_args()
    if args.rounds < 1 or args.threads < 1 or args.secs <= 0:
        ap.error("--rounds and --threads must be at least 1, --secs above 0")
    cmds = [shlex.split(c) for c in args.cmds]
    for c in cmds:
        if not c or not os.access(c[0], os.X_OK):
            ap.error(f"{' '.join(c)!r}: not an executable")

    nginx, url = harness.start_nginx()
    harness.NGINX_MASTER = nginx.pid
    cpu = sorted(os.sched_getaffinity(0))[0]
    wall = {i: [] for i in range(len(cmds))}
    spent = {i: [] for i in range(len(cmds))}
    try:
        harness.pin_nginx({cpu} if not args.free else os.sched_getaffinity(0))
        for r in range(args.rounds):
            for i, c in enumerate(cmds):
                prefix = c if args.free else ["taskset", "-c", str(cpu), *c]
                out = harness.bench(prefix, url, args.op, args.threads, 10_000_000, args.secs, 200)
                calls = out["calls"]
                wall[i].append(calls / out["secs"] if args.threads > 1 else out["secs"] / calls * 1e6)
                spent[i].append(out["cpu_s"] / calls * 1e6 if "cpu_s" in out else float("nan"))
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)

    unit = "calls/s" if args.threads > 1 else "µs a call"
    best = max if args.threads > 1 else min
    where = "free" if args.free else f"pinned to CPU {cpu}"
    print(f"{args.op}, {args.threads} thread(s), {where}, {args.rounds} rounds: median {unit} (best), CPU µs a call")
    for i, c in enumerate(cmds):
        print(
            f"{statistics.median(wall[i]):10.1f} ({best(wall[i]):.1f})  cpu {statistics.median(spent[i]):6.1f}  "
            f"{' '.join(c)}"
        )


if __name__ == "__main__":
    main()
