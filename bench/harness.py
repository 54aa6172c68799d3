"""Runs every benchmark against one nginx on 127.0.0.1 and rewrites bench/RESULTS.md.

Started by bench/run.sh after the builds. Every bench program speaks one protocol:
    PROGRAM... URL OP THREADS CALLS_PER_THREAD MAX_SECS WARMUP  ->  {"calls","secs","maxrss_kb"}
A program that is missing or fails its smoke call is reported "not available".
Rounds interleave the implementations, so each comparison is made in the same run
under the same machine load. Every loop is bounded in count and in time.
"""

import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, "work")
BIN = os.path.join(WORK, "bin")
VENV_PY = os.path.join(WORK, "venv", "bin", "python")
PY_BENCH = os.path.join(HERE, "py_bench.py")
PY_ASYNC_BENCH = os.path.join(HERE, "py_async_bench.py")
# aiobotocore pins its own botocore: a venv of its own, beside the one with boto3.
AIO_PY = os.path.join(WORK, "venv-aio", "bin", "python")
ASYNC_IMPLS = [("ours (Python AsyncClient)", VENV_PY, "ours"), ("aiobotocore", AIO_PY, "aiobotocore")]
ASYNC_CONCURRENCY = [16, 256]
PROTO = os.path.join(WORK, "target-peer", "release", "proto-reqwest")
PROTO_HYPER = os.path.join(WORK, "target-peer", "release", "proto-hyper-blocking")
QUICK = os.environ.get("BENCH_QUICK") == "1"  # a fast smoke run of the harness itself

ROUNDS = 2 if QUICK else 5
PER_CALL_SECS = 0.2 if QUICK else 0.6
THREAD_SECS = 0.5 if QUICK else 1.0
RSS_CALLS = 1000 if QUICK else 10000
COLD_ROUNDS = 4 if QUICK else 11
ASYNC_CALLS = 2000 if QUICK else 20000

# Peak RSS of an interpreter that imports nothing, as py_bench.py reads its own.
BARE_RSS = ("import re; print('{\"maxrss_kb\":%s}' % "
            "re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")

IMPLS = [  # (name, language, command prefix)
    ("floor", "C, raw socket", [os.path.join(BIN, "floor")]),
    ("ours (C)", "C", [os.path.join(BIN, "c_bench")]),
    ("ours (Python)", "Python", [VENV_PY, PY_BENCH, "ours"]),
    ("ours (Go)", "Go", [os.path.join(BIN, "go-ours")]),
    ("boto3", "Python", [VENV_PY, PY_BENCH, "boto3"]),
    ("aws-sdk-rust", "Rust", [os.path.join(WORK, "target-peer", "release", "rust-peer-bench")]),
    ("aws-sdk-go-v2", "Go", [os.path.join(BIN, "go-peer")]),
    # Not clients: the core's transport design in isolation (bench/rust-peer/src/bin/proto-reqwest.rs),
    # unsigned request, no JSON; to size the hot-path suggestions in the analysis.
    ("proto: reqwest, shared multi-thread rt", "Rust", [PROTO, "mt"]),
    ("proto: reqwest, per-thread current_thread rt", "Rust", [PROTO, "ct"]),
    # The core's blocking transport now (bench/rust-peer/src/bin/proto-hyper-blocking.rs): hyper over a
    # blocking socket, unsigned request, no JSON. Between it and ours: the core's own work.
    ("proto: hyper, blocking socket", "Rust", [PROTO_HYPER]),
]
OPS = [("DescribeIdentityPool", "signed"), ("GetId", "unsigned")]
THREADS = [1, 4, 16]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx():
    port = free_port()
    ngx = os.path.join(WORK, "nginx")
    os.makedirs(ngx, exist_ok=True)
    with open(os.path.join(HERE, "nginx.conf.in")) as f:
        conf = f.read().replace("@WORK@", WORK).replace("@PORT@", str(port))
    path = os.path.join(WORK, "nginx.conf")
    with open(path, "w") as f:
        f.write(conf)
    proc = subprocess.Popen(["nginx", "-e", os.path.join(ngx, "error.log"), "-p", ngx, "-c", path])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("nginx did not start")


NGINX_MASTER = None


def pin_nginx(cpus):
    """Sets the CPU affinity of nginx's worker process(es)."""
    for pid in sh(f"pgrep -P {NGINX_MASTER}").split():
        os.sched_setaffinity(int(pid), cpus)


def run(cmd, timeout):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(" ".join((p.stderr or p.stdout).strip().splitlines()[-2:])[-300:])
    return json.loads(p.stdout.strip().splitlines()[-1])


def bench(prefix, url, op, threads, calls, secs, warmup):
    return run(prefix + [url, op, str(threads), str(calls), str(secs), str(warmup)], timeout=secs * 3 + 60)


def med(xs):
    return statistics.median(xs) if xs else None


def spread(xs, scale=1.0, fmt="{:.1f}"):
    if not xs:
        return "n/a"
    return f"{fmt.format(med(xs) * scale)} ({fmt.format(min(xs) * scale)}–{fmt.format(max(xs) * scale)})"


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return ""


def du(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(d, f)).st_size
            except OSError:
                pass
    return total


def main():
    load_before = sh("cat /proc/loadavg")
    t_start = time.time()
    nginx, url = start_nginx()
    global NGINX_MASTER
    NGINX_MASTER = nginx.pid
    try:
        res = measure(url)
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
    res["load_before"], res["load_after"] = load_before, sh("cat /proc/loadavg")
    res["elapsed"] = time.time() - t_start
    res["pgo"] = os.environ.get("BENCH_PGO", "not recorded")  # set by bench/run.sh
    # Read now: --rewrite must show what this run measured, not what the tree holds later.
    res["recorded"] = {"versions": versions(), "sizes": sizes()}
    with open(os.path.join(WORK, "results.json"), "w") as f:  # raw figures, for --rewrite
        json.dump({k: [[list(key) if isinstance(key, tuple) else key, v] for key, v in d.items()]
                   if isinstance(d, dict) else d for k, d in res.items()}, f)
    write_results(res)


def rewrite():
    """Rewrites RESULTS.md from the last run's raw figures (after editing analysis.md)."""
    with open(os.path.join(WORK, "results.json")) as f:
        raw = json.load(f)
    res = {k: {tuple(key) if isinstance(key, list) else key: v for key, v in d} if isinstance(d, list) else d
           for k, d in raw.items()}
    write_results(res)


def measure(url):
    avail, why = {}, {}
    for name, _, prefix in IMPLS:
        if not os.path.exists(prefix[0]) or (prefix[0] == VENV_PY and not os.path.exists(PY_BENCH)):
            why[name] = f"not built ({os.path.relpath(prefix[0], ROOT)} missing)"
            continue
        try:
            for op, _ in OPS:
                bench(prefix, url, op, 1, 3, 10, 1)
            avail[name] = prefix
        except Exception as e:
            why[name] = "smoke call failed: " + str(e).replace("\n", " ")[:200]
    print("available:", ", ".join(avail), "| not available:", ", ".join(why) or "none", flush=True)

    # Per call, twice: "free" (the scheduler places nginx and the client; on an otherwise idle VM
    # each wait lets a vCPU go idle and the wake-up latency lands in every call, so the figure
    # is bimodal with the machine's load) and "pinned" (nginx's worker and every thread of the
    # client on CPU 0: no idle wake-ups, a stable measure of what the client costs).
    per_call, cpu_call, pinned, pinned_cpu = {}, {}, {}, {}
    cpus = sorted(os.sched_getaffinity(0))
    for r in range(ROUNDS):
        for mode in ("free", "pinned"):
            if mode == "pinned":
                pin_nginx({cpus[0]})
            for op, _ in OPS:
                for name, prefix in avail.items():
                    cmd = (["taskset", "-c", str(cpus[0])] if mode == "pinned" else []) + prefix
                    out = bench(cmd, url, op, 1, 1_000_000, PER_CALL_SECS, 200)
                    wall, cpu = (per_call, cpu_call) if mode == "free" else (pinned, pinned_cpu)
                    wall.setdefault((name, op), []).append(out["secs"] / out["calls"] * 1e9)
                    cpu.setdefault((name, op), []).append(out["cpu_s"] / out["calls"] * 1e9)
            pin_nginx(set(cpus))
        print(f"per-call round {r + 1}/{ROUNDS} done", flush=True)

    cps = {}  # (name, threads) -> [calls per second], GetId
    for r in range(max(3, ROUNDS - 2)):
        for t in THREADS:
            for name, prefix in avail.items():
                out = bench(prefix, url, "GetId", t, 1_000_000, THREAD_SECS, 100)
                cps.setdefault((name, t), []).append(out["calls"] / out["secs"])
        print(f"threads round {r + 1} done", flush=True)

    aio = {}  # (name, concurrency) -> [calls per second], GetId on one event loop
    for r in range(3):
        for conc in ASYNC_CONCURRENCY:
            for name, py, impl in ASYNC_IMPLS:
                if not os.path.exists(py) or (impl == "ours" and "ours (Python)" not in avail):
                    continue
                try:
                    out = run([py, PY_ASYNC_BENCH, impl, url, str(conc), str(ASYNC_CALLS), "60"], timeout=180)
                except Exception as e:  # a peer that fails is reported, the run goes on
                    why.setdefault(name, "async run failed: " + str(e).replace("\n", " ")[:200])
                    continue
                aio.setdefault((name, conc), []).append(out["calls"] / out["secs"])
    print("asyncio done", flush=True)

    rss = {}  # name -> [peak RSS KiB after RSS_CALLS GetId calls]
    for r in range(3):
        for name, prefix in avail.items():
            out = bench(prefix, url, "GetId", 1, RSS_CALLS, 120, 0)
            if out["calls"] != RSS_CALLS:
                raise RuntimeError(f"{name}: RSS run stopped early")
            rss.setdefault(name, []).append(out["maxrss_kb"])
        if os.path.exists(VENV_PY):  # the bare interpreter, for "Python's RSS over bare python"
            out = run([VENV_PY, "-c", BARE_RSS], timeout=60)
            rss.setdefault("bare python", []).append(out["maxrss_kb"])
    print("rss done", flush=True)

    cold, imp = {}, {}
    py_ok = {"ours": "ours (Python)" in avail, "boto3": "boto3" in avail}
    if os.path.exists(VENV_PY):
        # The bench script runs from its compiled form: run as a .py file it would be compiled
        # at every start (about 1.6 ms), a cost of the script's, not of the package measured
        # (and one that `python -c pass` does not pay).
        compiled = os.path.join(WORK, "py_bench.pyc")
        subprocess.run([VENV_PY, "-c", f"import py_compile; py_compile.compile({PY_BENCH!r}, cfile={compiled!r})"],
                       check=True)
        for _ in range(COLD_ROUNDS):
            for key, cmd in [
                ("bare", [VENV_PY, "-c", "pass"]),
                ("ours", [VENV_PY, compiled, "ours", url, "coldstart"]),
                ("boto3", [VENV_PY, compiled, "boto3", url, "coldstart"]),
            ]:
                if key != "bare" and not py_ok[key]:
                    continue
                # A blocking wait, not subprocess.run(timeout=...): with a timeout, Popen.wait polls
                # with sleeps of 0.5, 1, 2, 4, 8, 16, 50 ms, which quantises the figure into steps of
                # ~16 ms. The bound is a timer that kills the process after 60 s.
                t0 = time.perf_counter()
                proc = subprocess.Popen(cmd)
                killer = threading.Timer(60, proc.kill)
                killer.start()
                rc = proc.wait()
                elapsed = time.perf_counter() - t0
                killer.cancel()
                if rc != 0:
                    raise RuntimeError(f"cold start {key} failed ({rc})")
                cold.setdefault(key, []).append(elapsed)
            for key in ("ours", "boto3"):
                if py_ok[key]:
                    out = run([VENV_PY, PY_BENCH, key, url, "import"], timeout=60)
                    imp.setdefault(key, []).append(out)
    print("python start-up done", flush=True)
    return {"avail": avail, "why": why, "per_call": per_call, "cpu_call": cpu_call, "pinned": pinned,
            "pinned_cpu": pinned_cpu, "cps": cps, "aio": aio, "rss": rss, "cold": cold, "imp": imp}


def sizes():
    rows = []

    def add(what, path):
        if path and os.path.exists(path):
            n = du(path) if os.path.isdir(path) else os.path.getsize(path)
            rows.append((what, f"{n / 1048576:.2f} MiB", os.path.relpath(path, ROOT)))
        else:
            rows.append((what, "not available", ""))

    wheels = sorted(os.path.join(WORK, "wheels", f) for f in os.listdir(os.path.join(WORK, "wheels"))) if os.path.isdir(
        os.path.join(WORK, "wheels")) else []
    add("ours: Python wheel", wheels[-1] if wheels else None)
    # bench/run.sh builds ours for the host's triple (the profile-guided build's layout).
    rel = os.path.join(ROOT, "target", sh("rustc -vV | sed -n 's/^host: //p'"), "release")
    add("ours: libcognito_identity.so (release)", os.path.join(rel, "libcognito_identity.so"))
    add("ours: libcognito_identity.a (release)", os.path.join(rel, "libcognito_identity.a"))
    add("ours: Go bench binary, Rust core linked statically", os.path.join(BIN, "go-ours"))
    site = sh(f"{VENV_PY} -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])'")
    if site:
        ours_pkg = os.path.join(site, "cognito_identity")
        add("ours: installed Python package", ours_pkg if os.path.isdir(ours_pkg) else None)
        total, parts = 0, ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py"]
        for p in parts:
            if os.path.exists(os.path.join(site, p)):
                q = os.path.join(site, p)
                total += du(q) if os.path.isdir(q) else os.path.getsize(q)
        rows.append(("boto3 installed (boto3, botocore, s3transfer, jmespath, dateutil, urllib3, six)",
                     f"{total / 1048576:.2f} MiB" if total else "not available", "bench/work/venv"))
    add("aws-sdk-rust: bench binary (release, thin LTO)", os.path.join(WORK, "target-peer", "release", "rust-peer-bench"))
    add("aws-sdk-go-v2: bench binary", os.path.join(BIN, "go-peer"))
    return rows


def versions():
    def first(cmd):
        return (sh(cmd).splitlines() or ["n/a"])[0]

    lock = os.path.join(HERE, "rust-peer", "Cargo.lock")
    sdk = "n/a"
    if os.path.exists(lock):
        m = re.search(r'name = "aws-sdk-cognitoidentity"\nversion = "([^"]+)"', open(lock).read())
        sdk = m.group(1) if m else "n/a"
    gomod = os.path.join(HERE, "go-peer", "go.mod")
    gosdk = "n/a"
    if os.path.exists(gomod):
        m = re.search(r"aws-sdk-go-v2/service/cognitoidentity (v\S+)", open(gomod).read())
        gosdk = m.group(1) if m else "n/a"
    ours = re.search(r'^version = "([^"]+)"', open(os.path.join(ROOT, "Cargo.toml")).read(), re.M)
    return [
        ("cognito-identity (ours)", (ours.group(1) if ours else "?") + " @ " + first(f"git -C {ROOT} rev-parse --short HEAD")),
        ("rustc", first("rustc --version")),
        ("go", first("go version")),
        ("python (bench venv)", first(f"{VENV_PY} --version")),
        ("boto3 / botocore", first(f"{VENV_PY} -c 'import boto3, botocore; print(boto3.__version__, botocore.__version__)'")),
        ("aws-sdk-cognitoidentity (Rust)", sdk),
        ("aws-sdk-go-v2/service/cognitoidentity", gosdk),
        ("gcc", first("gcc --version")),
        ("nginx", first("nginx -v 2>&1")),
    ]


def write_results(res):
    avail, why, pc, cps, rss = res["avail"], res["why"], res["per_call"], res["cps"], res["rss"]
    names = [n for n, _, _ in IMPLS]
    L = []
    L.append("# Benchmark results\n")
    L.append("Written by `make bench` (bench/run.sh → bench/harness.py); do not edit by hand — the "
             "analysis comes from bench/analysis.md. Every figure is the median of several runs, with "
             "(min–max) across runs; ratios are median over median, measured in the same run. See "
             "bench/README.md for what each figure means.\n")
    L.append("## Machine\n")
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    L.append(f"- CPU: {cpu}; `nproc` = {sh('nproc')}; memory {mem_gib:.0f} GiB")
    L.append(f"- kernel {platform.release()}; load average before: {res['load_before']}; after: {res['load_after']}")
    L.append(f"- run took {res['elapsed']:.0f} s" + (" (BENCH_QUICK=1: short runs, not for quoting)" if QUICK else ""))
    for k, v in res.get("recorded", {}).get("versions") or versions():
        L.append(f"- {k}: {v}")
    L.append(f"- ours built with profile-guided optimisation (tools/pgo.sh) for: {res.get('pgo', 'not recorded')}")
    L.append("")
    if why:
        L.append("Not available in this run: " + "; ".join(f"**{k}**: {v}" for k, v in why.items()) + "\n")

    def per_call_table(title, note, data):
        L.append(title + "\n")
        if note:
            L.append(note + "\n")
        L.append("| implementation | DescribeIdentityPool (signed) | × floor | GetId (unsigned) | × floor |")
        L.append("|---|---|---|---|---|")
        for n in names:
            cells = []
            for op, _ in OPS:
                xs, fl = data.get((n, op)), data.get(("floor", op))
                if not xs:
                    cells += ["not available", ""]
                    continue
                cells += [spread(xs, 1e-3), f"{med(xs) / med(fl):.2f}" if fl else "n/a"]
            L.append(f"| {n} | " + " | ".join(cells) + " |")
        L.append("")

    per_call_table("## Per call, one thread, pinned: client and nginx on one CPU (µs)",
                   "The stable figure, used for the targets: no idle wake-ups, so it measures what each "
                   "client costs per call (plus nginx's fixed share).", res["pinned"])
    per_call_table("## Per call, one thread, free: the scheduler places client and nginx (µs)",
                   "What a caller sees on an idle 2-vCPU VM: every wait for the socket lets a vCPU idle, and "
                   "its wake-up latency (tens of µs here) is in every call, the floor's too; bimodal with "
                   "the machine's load (see the floor's spread).", pc)
    per_call_table("## CPU per call, one thread, free (µs of user + system time, all threads of the client)",
                   "What the client burns per call, wherever it runs. (Rust rows: /proc/self/stat, 10 ms "
                   "ticks.)", res["cpu_call"])

    L.append("## Calls per second, one shared client, GetId (threads / goroutines / tokio tasks)\n")
    L.append("| implementation | 1 | 4 | 16 | 16 ÷ 1 | 16 threads × floor |")
    L.append("|---|---|---|---|---|---|")
    for n in names:
        if (n, 1) not in cps:
            L.append(f"| {n} | not available | | | | |")
            continue
        c = [spread(cps[(n, t)], 1, "{:,.0f}") for t in THREADS]
        scale = med(cps[(n, 16)]) / med(cps[(n, 1)])
        fl = cps.get(("floor", 16))
        vs_floor = f"{med(cps[(n, 16)]) / med(fl):.2f}" if fl else "n/a"
        L.append(f"| {n} | " + " | ".join(c) + f" | {scale:.2f} | {vs_floor} |")
    L.append("")

    aio = res.get("aio", {})
    L.append("## Calls per second, asyncio: concurrent GetId tasks on one event loop\n")
    L.append("One client shared by N tasks of one loop (aiobotocore with `max_pool_connections=N`); the "
             "16-thread figure of the blocking client is beside it.\n")
    L.append("| implementation | " + " | ".join(f"{c} tasks" for c in ASYNC_CONCURRENCY) + " |")
    L.append("|---|" + "---|" * len(ASYNC_CONCURRENCY))
    for name, _, _ in ASYNC_IMPLS:
        L.append(f"| {name} | " + " | ".join(
            spread(aio[(name, c)], 1, "{:,.0f}") if (name, c) in aio else "not available"
            for c in ASYNC_CONCURRENCY) + " |")
    if ("ours (Python)", 16) in cps:
        L.append("| ours (Python), 16 threads, blocking | " + spread(cps[("ours (Python)", 16)], 1, "{:,.0f}")
                 + " |" + " |" * (len(ASYNC_CONCURRENCY) - 1))
    L.append("")

    L.append(f"## Peak RSS of the whole process after {RSS_CALLS:,} GetId calls (MiB)\n")
    L.append("| implementation | peak RSS |")
    L.append("|---|---|")
    for n in names:
        L.append(f"| {n} | {spread(rss[n], 1 / 1024) if n in rss else 'not available'} |")
    if "bare python" in rss:
        L.append(f"| bare python (`python -c`, imports nothing) | {spread(rss['bare python'], 1 / 1024)} |")
    L.append("")

    cold, imp = res["cold"], res["imp"]
    L.append("## Python start-up (ms)\n")
    L.append("| figure | bare `python -c pass` | ours | boto3 |")
    L.append("|---|---|---|---|")
    get = lambda k: cold.get(k)  # noqa: E731
    L.append("| cold start: process start to first GetId result | " + " | ".join(
        spread(get(k), 1e3) if get(k) else "not available" for k in ("bare", "ours", "boto3")) + " |")
    if get("bare"):
        L.append("| … minus bare interpreter start | 0 | " + " | ".join(
            f"{(med(get(k)) - med(get('bare'))) * 1e3:.1f}" if get(k) else "n/a" for k in ("ours", "boto3")) + " |")
    for field, label in (("import_s", "import"), ("construct_s", "client construction")):
        L.append(f"| {label} (in process) | | " + " | ".join(
            spread([x[field] for x in imp[k]], 1e3) if k in imp else "not available" for k in ("ours", "boto3")) + " |")
    L.append("")

    L.append("## Sizes\n")
    L.append("| artifact | size | path |")
    L.append("|---|---|---|")
    for what, size, path in res.get("recorded", {}).get("sizes") or sizes():
        L.append(f"| {what} | {size} | {path} |")
    L.append("")

    for title, rows in (("issue 15, this turn", targets_15(res)), ("issue 7, earlier", targets(res))):
        L.append(f"## Targets ({title})\n")
        L.append("Per-call targets are judged on the pinned table (stable); the free placement is shown beside it.\n")
        L.append("| target | measured | verdict |")
        L.append("|---|---|---|")
        for t, m, v in rows:
            L.append(f"| {t} | {m} | {v} |")
        L.append("")

    analysis = os.path.join(HERE, "analysis.md")
    if os.path.exists(analysis):
        L.append(open(analysis).read().rstrip() + "\n")
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write("\n".join(L))
    print("wrote bench/RESULTS.md")


def judges(res):
    """The row makers of a targets table: (rows, verdict, ratio_row)."""
    out = []

    def verdict(ok):
        return "n/a" if ok is None else ("**met**" if ok else "**missed**")

    def ratio_row(label, a, b, limit, fmt="{:.2f}×", invert=False):
        cells, verdicts = [], []
        for placement, data in (("pinned", res["pinned"]), ("free", res["per_call"])):
            if isinstance(limit, dict) and placement not in limit:
                continue
            lim = limit[placement] if isinstance(limit, dict) else limit
            x, y = med(data.get(a, [])), med(data.get(b, []))
            if not (x and y):
                cells.append(f"{placement}: n/a")
                verdicts.append(f"{placement}: n/a")
                continue
            r = y / x if invert else x / y
            cells.append(f"{placement}: " + fmt.format(r))
            ok = r >= lim if invert else r <= lim
            verdicts.append(f"{placement}: {verdict(ok)}")
        out.append((label, "; ".join(cells), "; ".join(verdicts)))

    return out, verdict, ratio_row


def targets(res):
    """Issue 7's targets, each per-call one judged on the pinned figures, with the free placement beside it."""
    cps, rss, cold = res["cps"], res["rss"], res["cold"]
    out, verdict, ratio_row = judges(res)
    for op, kind in OPS:
        ratio_row(f"Python per call ≤ 1.5× floor ({kind})", ("ours (Python)", op), ("floor", op), 1.5)
        ratio_row(f"Python per call ≥ 6× faster than boto3 ({kind})", ("ours (Python)", op), ("boto3", op), 6,
                  "{:.1f}× faster", invert=True)
    if cold.get("ours") and cold.get("bare"):
        d = (med(cold["ours"]) - med(cold["bare"])) * 1e3
        b = (med(cold["boto3"]) - med(cold["bare"])) * 1e3 if cold.get("boto3") else None
        out.append(("Python cold start adds ≤ 10 ms over bare python",
                    f"+{d:.1f} ms (boto3 +{b:.0f} ms)" if b is not None else f"+{d:.1f} ms", verdict(d <= 10)))
    else:
        out.append(("Python cold start adds ≤ 10 ms over bare python", "n/a", "n/a"))
    if ("ours (Python)", 16) in cps:
        s = med(cps[("ours (Python)", 16)]) / med(cps[("ours (Python)", 1)])
        out.append(("16 Python threads ≥ 3× single-thread calls/s", f"{s:.2f}×", verdict(s >= 3)))
    else:
        out.append(("16 Python threads ≥ 3× single-thread calls/s", "n/a", "n/a"))
    r = med(rss.get("ours (Python)", []))
    out.append(("Python peak RSS ≤ 20 MiB", f"{r / 1024:.1f} MiB" if r else "n/a", verdict(r / 1024 <= 20 if r else None)))
    for op, kind in OPS:
        ratio_row(f"C per call ≤ 1.3× floor ({kind})", ("ours (C)", op), ("floor", op), 1.3)
        ratio_row(f"C per call ≤ 0.5× aws-sdk-rust ({kind})", ("ours (C)", op), ("aws-sdk-rust", op), 0.5)
        ratio_row(f"Go per call ≤ aws-sdk-go-v2 ({kind})", ("ours (Go)", op), ("aws-sdk-go-v2", op), 1.0)
    return out


def targets_15(res):
    """Issue 15's targets (signed call, pinned unless said)."""
    cps, rss, cold = res["cps"], res["rss"], res["cold"]
    out, verdict, ratio_row = judges(res)
    op = "DescribeIdentityPool"
    ratio_row("C per signed call ≤ 1.5× floor", ("ours (C)", op), ("floor", op), {"pinned": 1.5})
    ratio_row("Python per signed call ≤ 1.6× floor", ("ours (Python)", op), ("floor", op), {"pinned": 1.6})
    ratio_row("Python per signed call ≤ 1.25× floor, free placement", ("ours (Python)", op), ("floor", op),
              {"free": 1.25})
    ratio_row("Go per call ≤ 1.2× C per call", ("ours (Go)", op), ("ours (C)", op), {"pinned": 1.2})
    go, c = med(cps.get(("ours (Go)", 16), [])), med(cps.get(("ours (C)", 16), []))
    out.append(("Go 16 goroutines ≥ 0.8× C 16 threads (calls/s)", f"{go / c:.2f}×" if go and c else "n/a",
                verdict(go / c >= 0.8 if go and c else None)))
    if cold.get("ours") and cold.get("bare"):
        d = (med(cold["ours"]) - med(cold["bare"])) * 1e3
        out.append(("Python cold start ≤ +5 ms over bare python", f"+{d:.1f} ms", verdict(d <= 5)))
    else:
        out.append(("Python cold start ≤ +5 ms over bare python", "n/a", "n/a"))
    ours, bare = med(rss.get("ours (Python)", [])), med(rss.get("bare python", []))
    out.append(("Python peak RSS over bare python, 10,000 calls ≤ +6 MiB",
                f"+{(ours - bare) / 1024:.1f} MiB ({ours / 1024:.1f} − {bare / 1024:.1f})" if ours and bare else "n/a",
                verdict((ours - bare) / 1024 <= 6 if ours and bare else None)))
    return out


if __name__ == "__main__":
    rewrite() if sys.argv[1:] == ["--rewrite"] else main()
