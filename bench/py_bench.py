"""Python under the bench protocol, for ours (cognito_identity) and boto3.

    python py_bench.py IMPL URL OP THREADS CALLS_PER_THREAD MAX_SECS WARMUP
        prints {"calls","secs","maxrss_kb"}; THREADS threads share one client.
    python py_bench.py IMPL URL coldstart
        imports, builds a client, makes one GetId call, exits (timed from outside).
    python py_bench.py IMPL URL import
        prints {"import_s","construct_s"} measured in this fresh process.
IMPL is "ours" or "boto3".
"""

import sys
import time

POOL = "us-east-1:00000000-0000-0000-0000-000000000000"


def make(impl, url):
    if impl == "ours":
        import cognito_identity

        return cognito_identity.Client(
            region_name="us-east-1", endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test"
        )
    import boto3

    return boto3.client(
        "cognito-identity",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def main():
    impl, url, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "coldstart":
        assert make(impl, url).get_id(IdentityPoolId=POOL)["IdentityId"]
        return
    if mode == "import":
        t0 = time.perf_counter()
        if impl == "ours":
            import cognito_identity  # noqa: F401
        else:
            import boto3  # noqa: F401
        t1 = time.perf_counter()
        make(impl, url)
        t2 = time.perf_counter()
        print('{"import_s":%.9f,"construct_s":%.9f}' % (t1 - t0, t2 - t1))
        return
    import threading

    threads, calls, max_secs, warmup = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
    client = make(impl, url)
    if mode == "GetId":
        def one():
            assert client.get_id(IdentityPoolId=POOL)["IdentityId"]
    else:
        def one():
            assert client.describe_identity_pool(IdentityPoolId=POOL)["IdentityPoolName"]
    for _ in range(warmup):
        one()
    done = [0] * threads
    cpu0 = time.process_time()
    start = time.perf_counter()

    def worker(i):
        n = 0
        while n < calls and time.perf_counter() - start < max_secs:
            one()
            n += 1
        done[i] = n

    if threads == 1:
        worker(0)
    else:
        ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    secs = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    with open("/proc/self/status") as f:  # VmHWM: getrusage's maxrss survives exec
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    print('{"calls":%d,"secs":%.9f,"cpu_s":%.9f,"maxrss_kb":%d}' % (sum(done), secs, cpu, rss))


if __name__ == "__main__":
    main()
