"""AsyncClient against the emulator: results, errors, pagination, concurrency,
cancellation, and a loop that is never blocked."""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, List, TypeVar

import cognito_identity
import pytest
from cognito_identity import exceptions
from cognito_identity._operations import OPERATIONS
from conftest import REGION, Emulator, make_pool

T = TypeVar("T")


def async_client(emu: Emulator, **kwargs: Any) -> cognito_identity.AsyncClient:
    return cognito_identity.AsyncClient(
        region_name=REGION,
        endpoint_url=emu.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=cognito_identity.Config(initial_backoff=0.01),
        **kwargs,
    )


def run(coro_fn: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await coro_fn()

    return asyncio.run(main())


def test_every_operation_is_a_coroutine_with_the_blocking_signature() -> None:
    for snake in OPERATIONS.values():
        method = getattr(cognito_identity.AsyncClient, snake)
        assert inspect.iscoroutinefunction(method), snake
        blocking = getattr(cognito_identity.Client, snake)
        assert inspect.signature(method).parameters.keys() == inspect.signature(blocking).parameters.keys()
    assert cognito_identity.AsyncClient.exceptions is exceptions


def test_calls_results_and_modeled_errors(emu: Emulator, client: cognito_identity.Client) -> None:
    pool = make_pool(client)  # with roles, for GetCredentialsForIdentity

    async def main() -> None:
        async with async_client(emu) as aclient:
            client = aclient
            created = await client.create_identity_pool(IdentityPoolName="p", AllowUnauthenticatedIdentities=True)
            assert created["IdentityPoolName"] == "p"
            identity = await client.get_id(IdentityPoolId=pool["IdentityPoolId"])
            assert identity["IdentityId"].startswith(REGION + ":")
            assert identity["ResponseMetadata"]["HTTPStatusCode"] == 200
            creds = await client.get_credentials_for_identity(IdentityId=identity["IdentityId"])
            assert creds["Credentials"]["AccessKeyId"]
            assert "*** redacted ***" in repr(creds["Credentials"])  # the same redacted repr as Client's
            with pytest.raises(client.exceptions.ResourceNotFoundException) as missing:
                await client.describe_identity_pool(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")
            assert missing.value.operation_name == "DescribeIdentityPool"
            assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
            with pytest.raises(exceptions.ParamValidationError, match="IdentityPoolId"):
                await client.get_id()  # type: ignore[call-arg]
            with pytest.raises(exceptions.ParamTypeError, match="IdentityPoolId"):
                await client.get_id(IdentityPoolId=object())  # type: ignore[arg-type]
        # close() leaves the client usable, as its documentation says.
        assert (await aclient.list_identity_pools(MaxResults=5))["IdentityPools"]

    run(main)


def test_async_pagination(emu: Emulator, client: cognito_identity.Client) -> None:
    names = {make_pool(client, IdentityPoolName=f"pool{i}")["IdentityPoolName"] for i in range(5)}

    async def main() -> None:
        aclient = async_client(emu)
        paginator = aclient.get_paginator("list_identity_pools")
        assert isinstance(paginator, cognito_identity.AsyncPaginator)
        pages = [page async for page in paginator.paginate(PaginationConfig={"PageSize": 2})]
        assert [len(p["IdentityPools"]) for p in pages] == [2, 2, 1]
        full = await paginator.paginate(PaginationConfig={"PageSize": 2}).build_full_result()
        assert {p["IdentityPoolName"] for p in full["IdentityPools"]} == names
        cut = await paginator.paginate(PaginationConfig={"PageSize": 2, "MaxItems": 3}).build_full_result()
        assert len(cut["IdentityPools"]) == 3
        rest = await paginator.paginate(PaginationConfig={"StartingToken": cut["NextToken"]}).build_full_result()
        assert {p["IdentityPoolName"] for p in cut["IdentityPools"] + rest["IdentityPools"]} == names
        with pytest.raises(TypeError, match="async for"):
            iter(paginator.paginate())
        with pytest.raises(exceptions.OperationNotFoundError):
            aclient.get_paginator("get_id")

    run(main)


def test_thousands_of_concurrent_calls_on_one_loop_beat_sixteen_threads(
    emu: Emulator, client: cognito_identity.Client
) -> None:
    # Each call waits 20 ms in the emulator, as a call to the service waits for
    # the network: with no latency at all, both sides would only measure the
    # CPU of debug builds sharing two cores (make bench compares that, built
    # for release). What is tested here is concurrency without threads.
    pool_id = make_pool(client)["IdentityPoolId"]
    calls = 2000
    emu.fault(kind="delay", delay_ms=20, operation="GetId", count=2 * calls + 100)

    async def concurrent() -> float:
        aclient = async_client(emu)
        threads_before = threading.active_count()
        start = time.perf_counter()
        results = await asyncio.gather(*(aclient.get_id(IdentityPoolId=pool_id) for _ in range(calls)))
        elapsed = time.perf_counter() - start
        assert len({r["IdentityId"] for r in results}) == calls
        assert threading.active_count() == threads_before  # no thread per call
        return elapsed

    def threaded() -> float:
        with ThreadPoolExecutor(16) as executor:
            start = time.perf_counter()
            results = list(executor.map(lambda _: client.get_id(IdentityPoolId=pool_id), range(calls)))
            elapsed = time.perf_counter() - start
        assert len({r["IdentityId"] for r in results}) == calls
        return elapsed

    on_loop = run(concurrent)
    on_threads = threaded()
    print(f"{calls} GetId calls of 20 ms: one loop {on_loop:.2f} s, 16 threads {on_threads:.2f} s")
    assert on_loop <= on_threads, (on_loop, on_threads)


def test_cancellation_returns_at_once_and_the_client_keeps_working(emu: Emulator) -> None:
    async def main() -> None:
        client = async_client(emu)
        pool = await client.create_identity_pool(IdentityPoolName="p", AllowUnauthenticatedIdentities=True)
        emu.fault(kind="delay", delay_ms=3000, operation="GetId", count=1)
        start = time.perf_counter()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.get_id(IdentityPoolId=pool["IdentityPoolId"]), 0.3)
        assert time.perf_counter() - start < 0.8
        # The next call is not queued behind the aborted one.
        start = time.perf_counter()
        assert (await client.get_id(IdentityPoolId=pool["IdentityPoolId"]))["IdentityId"]
        assert time.perf_counter() - start < 2.0

        emu.fault(kind="delay", delay_ms=3000, operation="GetId", count=1)
        task = asyncio.ensure_future(client.get_id(IdentityPoolId=pool["IdentityPoolId"]))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert task.cancelled()
        assert (await client.get_id(IdentityPoolId=pool["IdentityPoolId"]))["IdentityId"]

    run(main)


def test_the_loop_is_never_blocked(emu: Emulator, client: cognito_identity.Client) -> None:
    pool_id = make_pool(client)["IdentityPoolId"]

    async def main() -> None:
        aclient = async_client(emu)
        ticks: List[float] = []
        stop = asyncio.Event()

        async def heartbeat() -> None:
            while not stop.is_set():
                ticks.append(time.perf_counter())
                await asyncio.sleep(0.01)

        beating = asyncio.ensure_future(heartbeat())
        emu.fault(kind="delay", delay_ms=1000, operation="GetId", count=1)
        start = time.perf_counter()
        await aclient.get_id(IdentityPoolId=pool_id)
        waited = time.perf_counter() - start
        stop.set()
        await beating
        assert waited >= 0.9
        # A 10 ms heartbeat keeps beating through a one-second call.
        assert len(ticks) >= 30, len(ticks)
        assert max(b - a for a, b in zip(ticks, ticks[1:])) < 0.5

    run(main)


def test_uvloop(emu: Emulator) -> None:
    uvloop = pytest.importorskip("uvloop")

    async def main() -> str:
        client = async_client(emu)
        pool = await client.create_identity_pool(IdentityPoolName="p", AllowUnauthenticatedIdentities=True)
        results = await asyncio.gather(*(client.get_id(IdentityPoolId=pool["IdentityPoolId"]) for _ in range(50)))
        return str(results[0]["IdentityId"])

    loop = uvloop.new_event_loop()
    try:
        assert loop.run_until_complete(main()).startswith(REGION)
    finally:
        loop.close()


def test_a_client_serves_several_loops_in_turn(emu: Emulator) -> None:
    client = async_client(emu)

    async def list_pools() -> Any:
        return await client.list_identity_pools(MaxResults=5)

    for _ in range(3):
        assert asyncio.run(list_pools())["IdentityPools"] == []


def test_errors_before_the_request_raise_in_the_awaiting_task(emu: Emulator) -> None:
    async def main() -> None:
        client = cognito_identity.AsyncClient(
            region_name=REGION,
            endpoint_url="http://127.0.0.1:9",
            aws_access_key_id="a",
            aws_secret_access_key="b",
            config=cognito_identity.Config(retries={"total_max_attempts": 1}),
        )
        with pytest.raises(exceptions.EndpointConnectionError):
            await client.list_identity_pools(MaxResults=5)

    run(main)


EXIT_SCRIPT = """
import asyncio, sys
import cognito_identity

async def main():
    async with cognito_identity.AsyncClient(region_name="us-east-1", endpoint_url=sys.argv[1],
                                            aws_access_key_id="test", aws_secret_access_key="test") as c:
        await asyncio.gather(*(c.list_identity_pools(MaxResults=1) for _ in range(400)))

asyncio.run(main())
"""


def test_the_process_exits_cleanly_right_after_async_calls(emu: Emulator) -> None:
    # The runtime's threads may still be handing results to the loop while the
    # interpreter shuts down; CPython then ends a foreign thread asking for
    # the GIL with pthread_exit, which aborted the process (SIGABRT, about one
    # short run in eight before the exit hook in py/src/interpreter.rs).
    import subprocess
    import sys

    for _ in range(12):
        done = subprocess.run([sys.executable, "-c", EXIT_SCRIPT, emu.url], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (done.returncode, done.stderr[-2000:])


SIGPIPE_SCRIPT = """
import asyncio, json, os, signal, sys
import cognito_identity

signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # as command-line tools piped into `head` do


def sigpipe_blocked(task):
    with open(f"/proc/self/task/{task}/status") as f:
        mask = next(int(line.split()[1], 16) for line in f if line.startswith("SigBlk:"))
    return bool(mask & (1 << (signal.SIGPIPE - 1)))


def name(task):
    with open(f"/proc/self/task/{task}/comm") as f:
        return f.read().strip()


before = set(os.listdir("/proc/self/task"))


async def main():
    async with cognito_identity.AsyncClient(
        region_name="us-east-1", endpoint_url=sys.argv[1], aws_access_key_id="test", aws_secret_access_key="test"
    ) as client:
        await asyncio.gather(*(client.list_identity_pools(MaxResults=1) for _ in range(8)))


asyncio.run(main())
started = [[name(t), sigpipe_blocked(t)] for t in set(os.listdir("/proc/self/task")) - before]
print(json.dumps({"started": started, "main": sigpipe_blocked(str(os.getpid()))}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_async_runtime_threads_block_sigpipe_and_leave_the_host_alone(emu: Emulator) -> None:
    # The async path writes on reqwest's sockets, without MSG_NOSIGNAL: in a
    # host that restored SIGPIPE's default action, a write to a connection the
    # server had reset would end the process. The runtime's threads block it
    # from their start; the host's own threads keep their mask.
    import subprocess

    done = subprocess.run([sys.executable, "-c", SIGPIPE_SCRIPT, emu.url], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout)
    workers = [blocked for name, blocked in seen["started"] if name.startswith("cognito-identi")]
    assert len(workers) >= 2, seen  # the runtime's two workers
    assert all(workers), seen
    assert seen["main"] is False, seen


# Bodies the two result builders must agree on: the blocking client builds
# its result from the core's JSON text, the async client from the core's
# JSON value. Nulls (dropped as members, kept in maps and lists), escapes,
# members outside the model, a repeated key, numbers of every JSON form,
# timestamps as integers and fractions, secrets.
TRICKY_BODIES = [
    (
        "GetCredentialsForIdentity",
        {"IdentityId": "us-east-1:0a"},
        '{"IdentityId":"us-east-1:x","Credentials":{"AccessKeyId":"AKID","SecretKey":"s\\u00e9cret\\"\\\\",'
        '"SessionToken":"tok","Expiration":1767225600.25},"Unknown":null}',
    ),
    (
        "GetCredentialsForIdentity",
        {"IdentityId": "us-east-1:0a"},
        '{"IdentityId":"us-east-1:x","Credentials":{"AccessKeyId":"AKID","SecretKey":"plain","Expiration":1767225600}}',
    ),
    (
        "DescribeIdentityPool",
        {"IdentityPoolId": "us-east-1:0f"},
        '{"IdentityPoolId":"us-east-1:0f","IdentityPoolName":"n\\ud83d\\ude00","AllowUnauthenticatedIdentities":true,'
        '"SupportedLoginProviders":{"a":"b","nul":null,"\\u00e9":"x"},"OpenIdConnectProviderARNs":["arn",null],'
        '"CognitoIdentityProviders":[{"ProviderName":"p","ClientId":null,"ServerSideTokenCheck":false}],'
        '"IdentityPoolTags":null,"Extra":{"n":null,"nums":[0,-1,1.5,-2.5e-3,1e300,18446744073709551615,'
        '18446744073709551616,-9223372036854775808]},"IdentityPoolName":"second wins"}',
    ),
    (
        "DescribeIdentityPool",
        {"IdentityPoolId": "us-east-1:0f"},
        ' {"IdentityPoolId":"us-east-1:0f","IdentityPoolName":"plain","AllowUnauthenticatedIdentities":false} ',
    ),
    ("ListIdentities", {"IdentityPoolId": "us-east-1:0f", "MaxResults": 5}, ""),
    # A timestamp datetime cannot hold: both raise (the async task is not left waiting).
    ("GetCredentialsForIdentity", {"IdentityId": "us-east-1:0a"}, '{"Credentials":{"Expiration":1e300}}'),
    # ... unless a repeated key replaces it: the value kept is the last.
    (
        "GetCredentialsForIdentity",
        {"IdentityId": "us-east-1:0a"},
        '{"Credentials":{"Expiration":1e300},"Credentials":{"SecretKey":"k","Expiration":1}}',
    ),
    (
        "ListIdentities",
        {"IdentityPoolId": "us-east-1:0f", "MaxResults": 5},
        '{"IdentityPoolId":"us-east-1:0f","Identities":[{"IdentityId":"i","Logins":["a"],"CreationDate":1.5e9,'
        '"LastModifiedDate":-1}],"NextToken":null}',
    ),
]


@pytest.mark.parametrize("op,params,body", TRICKY_BODIES, ids=[f"{op}-{i}" for i, (op, *_) in enumerate(TRICKY_BODIES)])
def test_blocking_and_async_results_are_the_same_objects(capture: Any, op: str, params: Any, body: str) -> None:
    capture.respond = lambda req: (200, {}, body.encode())
    kwargs: Any = dict(
        region_name=REGION, endpoint_url=capture.url, aws_access_key_id="test", aws_secret_access_key="test"
    )
    method = OPERATIONS[op]

    def typed(v: Any) -> Any:
        """The value with every object's type beside it (True == 1, 1.0 == 1 for ==)."""
        if isinstance(v, dict):
            return [(type(k), k, typed(x)) for k, x in v.items() if k != "date"]
        if isinstance(v, list):
            return [typed(x) for x in v]
        return (type(v), v)

    def outcome(call: Callable[[], Any]) -> Any:
        """The typed result, or the type of the exception the call raised."""
        try:
            return typed(call())
        except Exception as e:  # the two paths must raise alike
            return ("raised", type(e))

    blocking_client = cognito_identity.Client(**kwargs)
    blocking = outcome(lambda: getattr(blocking_client, method)(**params))

    async def call() -> Any:
        async with cognito_identity.AsyncClient(**kwargs) as client:
            return await asyncio.wait_for(getattr(client, method)(**params), 10)

    awaited = outcome(lambda: run(call))
    assert blocking == awaited
    if blocking[0] == "raised":
        assert blocking[1] is OverflowError, blocking
    elif op == "GetCredentialsForIdentity":
        creds = getattr(blocking_client, method)(**params)["Credentials"]
        assert type(creds["SecretKey"]).__name__ == "SecretStr"
        assert creds["Expiration"].tzinfo is not None
