"""``AsyncClient``: the operations as coroutines, on the core's async path.

A call is a task on the native module's small tokio runtime; the event loop
only starts it and, when it ends, settles a future (through
``loop.call_soon_threadsafe``). One loop thread so drives thousands of
concurrent calls with no thread per call, under any asyncio loop (the
default one, Jupyter's, uvloop's).
"""

from __future__ import annotations

import asyncio
import weakref

from . import exceptions
from ._async_operations import _AsyncOperations
from ._client import _ClientBase
from ._native import LoopQueue, NativeError
from ._paginate import AsyncPaginator

# typing is imported only by type checkers: importing it costs milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Mapping

__all__ = ["AsyncClient"]


# One queue of finished calls per event loop (see py/src/aio.rs); weak keys,
# so that a closed and dropped loop takes its queue with it.
_queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopQueue] = weakref.WeakKeyDictionary()


def _queue(loop: asyncio.AbstractEventLoop) -> LoopQueue:
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = LoopQueue(weakref.ref(loop))
    return queue


class AsyncClient(_ClientBase, _AsyncOperations):
    """The asyncio client: ``Client``'s constructor, methods, results and
    exceptions, with every operation a coroutine.

    >>> async with cognito_identity.AsyncClient(region_name="us-east-1") as client:
    ...     identity = await client.get_id(IdentityPoolId="us-east-1:...")

    Cancelling the awaiting task (``asyncio.wait_for``, ``task.cancel()``)
    aborts the request at once. A client may be shared by any number of tasks
    of any number of loops; it pickles as ``Client`` does.
    """

    _paginator_class = AsyncPaginator

    async def _call(self, operation: str, params: Mapping[str, Any]) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        try:
            pending = self._native.call_async(operation, dict(params), _queue(loop), future)
        except NativeError as e:  # the parameters could not be converted
            kind, document = e.args
            raise exceptions.from_document(kind, document, operation) from None
        try:
            # (True, result) or (False, (kind, error document)).
            ok, value = await future
        except asyncio.CancelledError:
            pending.cancel()
            raise
        if ok:
            return value
        kind, document = value
        raise exceptions.from_document(kind, document, operation) from None

    def get_paginator(self, operation_name: str) -> AsyncPaginator:
        """The paginator of ``operation_name`` (snake_case): ``paginate(...)``
        is an async iterator, ``await ....build_full_result()`` merges the pages."""
        paginator: AsyncPaginator = self._paginator(operation_name)
        return paginator

    async def close(self) -> None:
        """For ``aiobotocore`` compatibility. Connections are pooled by the
        runtime and close when idle; the client keeps working after this."""

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
