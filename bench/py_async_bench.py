"""asyncio under the bench: N concurrent GetId calls on one event loop.

    python py_async_bench.py IMPL URL CONCURRENCY CALLS MAX_SECS
        prints {"calls","secs","cpu_s","maxrss_kb"}
IMPL is "ours" (cognito_identity.AsyncClient) or "aiobotocore". CONCURRENCY tasks
share one client and call GetId until CALLS calls are made in all (or MAX_SECS pass),
after a warm-up round of CONCURRENCY calls (the connections are then open).
"""

import asyncio
import sys
import time

POOL = "us-east-1:00000000-0000-0000-0000-000000000000"
KEYS = {"region_name": "us-east-1", "aws_access_key_id": "test", "aws_secret_access_key": "test"}


async def run(client, concurrency, calls, max_secs):
    async def one():
        assert (await client.get_id(IdentityPoolId=POOL))["IdentityId"]

    await asyncio.gather(*(one() for _ in range(concurrency)))
    made = 0
    cpu0 = time.process_time()
    start = time.perf_counter()

    async def worker():
        nonlocal made
        while made < calls and time.perf_counter() - start < max_secs:
            made += 1
            await one()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return made, time.perf_counter() - start, time.process_time() - cpu0


async def main():
    impl, url = sys.argv[1], sys.argv[2]
    concurrency, calls, max_secs = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    if impl == "ours":
        import cognito_identity

        async with cognito_identity.AsyncClient(endpoint_url=url, **KEYS) as client:
            made, secs, cpu = await run(client, concurrency, calls, max_secs)
    else:
        from aiobotocore.config import AioConfig
        from aiobotocore.session import get_session

        # aiobotocore's pool holds 10 connections by default: give it one per task, as ours has.
        config = AioConfig(max_pool_connections=concurrency)
        async with get_session().create_client("cognito-identity", endpoint_url=url, config=config, **KEYS) as client:
            made, secs, cpu = await run(client, concurrency, calls, max_secs)
    with open("/proc/self/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    print('{"calls":%d,"secs":%.9f,"cpu_s":%.9f,"maxrss_kb":%d}' % (made, secs, cpu, rss))


if __name__ == "__main__":
    asyncio.run(main())
