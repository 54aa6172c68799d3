"""Paginators with boto3's ``PaginationConfig`` (``MaxItems``, ``PageSize``, ``StartingToken``).

Resume tokens have botocore's format (base64 of a JSON object holding the
service's token and, when ``MaxItems`` cut a page short, how many items of
that page were already returned), so a token from one library resumes in the other.
"""

from __future__ import annotations

from .exceptions import CognitoIdentityError, _client_side

# typing, json and base64 are imported only where needed: each costs start-up time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, AsyncIterator, Dict, Iterator, List, Mapping, Optional

__all__ = ["AsyncPageIterator", "AsyncPaginator", "PageIterator", "Paginator"]

_TRUNCATE = "boto_truncate_amount"


def _encode(token: Dict[str, Any]) -> str:
    import base64
    import json

    return base64.b64encode(json.dumps(token).encode("utf-8")).decode("utf-8")


def _decode(token: str, input_token: str) -> Dict[str, Any]:
    import base64
    import json

    try:
        value = json.loads(base64.b64decode(token.encode("utf-8"), validate=True).decode("utf-8"))
    except ValueError:
        value = None
    if isinstance(value, dict):
        return value
    return {input_token: token}  # a raw service token


def _invalid(message: str) -> CognitoIdentityError:
    return _client_side("ParamValidationError", message)


def _check_config(kwargs: Dict[str, Any]) -> Mapping[str, Any]:
    from collections.abc import Mapping

    config = kwargs.pop("PaginationConfig", None) or {}
    if not isinstance(config, Mapping):
        raise _invalid("PaginationConfig must be a dict")
    unknown = set(config) - {"MaxItems", "PageSize", "StartingToken"}
    if unknown:
        raise _invalid(f"Unknown PaginationConfig keys: {', '.join(sorted(unknown))}")
    return config


class Paginator:
    """Pages through an operation's results; get one from ``client.get_paginator(name)``."""

    def __init__(self, client: Any, operation: str, spec: Mapping[str, str]) -> None:
        self._client = client
        self._operation = operation
        self._spec = spec

    @property
    def result_keys(self) -> List[str]:
        return [self._spec["result_key"]]

    def paginate(self, *, progress: bool = False, **kwargs: Any) -> PageIterator:
        """The pages (boto3's ``PaginationConfig`` accepted). ``progress=True``
        shows a progress bar (tqdm's, when tqdm is installed) while iterating."""
        config = _check_config(kwargs)
        return PageIterator(self._client, self._operation, self._spec, kwargs, config, progress)


class _Pages:
    """The paging logic both iterators share: what to send next, and what
    to make of each page (``MaxItems``, resume tokens, the end)."""

    def __init__(self, spec: Mapping[str, str], params: Dict[str, Any], config: Mapping[str, Any]) -> None:
        self.inp = spec["input_token"]
        self.out = spec["output_token"]
        self.limit = spec["limit_key"]
        self.result = spec["result_key"]
        self.params = params
        self.max_items: Optional[int] = config.get("MaxItems")
        self.page_size: Optional[int] = config.get("PageSize")
        self.token: Optional[str] = None
        self.skip = 0
        starting: Optional[str] = config.get("StartingToken")
        if starting:
            start = _decode(starting, self.inp)
            self.token = start.get(self.inp)
            self.skip = int(start.get(_TRUNCATE, 0))
        self.returned = 0
        self.done = False
        self.resume_token: Optional[str] = None

    def next_params(self) -> Dict[str, Any]:
        params = dict(self.params)
        if self.token:
            params[self.inp] = self.token
        if self.page_size is not None:
            params[self.limit] = self.page_size
        # The model requires MaxResults for all three operations; boto3 would
        # fail without it, we page with the largest page the service allows.
        params.setdefault(self.limit, 60)
        return params

    def take(self, page: Dict[str, Any]) -> Dict[str, Any]:
        """The page to yield; sets ``done`` after the last one."""
        items = list(page.get(self.result, []))
        if self.skip:
            items = items[self.skip :]
            page[self.result] = items
        next_token = page.get(self.out)
        if self.max_items is not None and self.returned + len(items) >= self.max_items:
            keep = self.max_items - self.returned
            if keep < len(items):
                page[self.result] = items[:keep]
                self.resume_token = _encode({self.inp: self.token, _TRUNCATE: self.skip + keep})
            elif next_token:
                self.resume_token = _encode({self.inp: next_token})
            self.done = True
            return page
        self.returned += len(items)
        if not next_token or next_token == self.token:
            self.done = True
        self.token, self.skip = next_token, 0
        return page

    def merge(self, full: Dict[str, Any], items: List[Any], page: Dict[str, Any]) -> None:
        for key, value in page.items():
            if key not in (self.result, self.out, "ResponseMetadata"):
                full.setdefault(key, value)
        items.extend(page.get(self.result, []))

    def full_result(self, full: Dict[str, Any], items: List[Any]) -> Dict[str, Any]:
        full[self.result] = items
        if self.resume_token is not None:
            full["NextToken"] = self.resume_token
        return full


def _progress_bar(operation: str) -> Any:
    """tqdm's bar when tqdm is installed (its notebook widget when ipywidgets
    is there too, which tqdm.auto would otherwise warn about), else a line on
    stderr per page."""
    from importlib.util import find_spec

    if find_spec("tqdm") is None:
        return _TextProgress(operation)
    if find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm  # type: ignore[import-untyped, import-not-found, unused-ignore]
    else:
        from tqdm import tqdm  # type: ignore[import-untyped, import-not-found, unused-ignore, no-redef]
    return tqdm(desc=operation, unit=" page")


class _TextProgress:
    def __init__(self, operation: str) -> None:
        self.operation = operation
        self.n = 0

    def update(self, n: int) -> None:
        import sys

        self.n += n
        print(f"{self.operation}: {self.n} pages", file=sys.stderr)

    def close(self) -> None:
        pass


class PageIterator:
    """Iterates over pages (response dicts). ``build_full_result()`` merges them."""

    def __init__(
        self,
        client: Any,
        operation: str,
        spec: Mapping[str, str],
        params: Dict[str, Any],
        config: Mapping[str, Any],
        progress: bool = False,
    ) -> None:
        self._client = client
        self._operation = operation
        self._spec = spec
        self._params = params
        self._config = config
        self._progress = progress
        self._result = spec["result_key"]
        self.resume_token: Optional[str] = None

    @property
    def result_keys(self) -> List[str]:
        return [self._result]

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        state = _Pages(self._spec, self._params, self._config)
        bar = _progress_bar(self._operation) if self._progress else None
        try:
            while not state.done:
                page = state.take(self._client._call(self._operation, state.next_params()))
                self.resume_token = state.resume_token
                if bar is not None:
                    bar.update(1)
                yield page
        finally:
            if bar is not None:
                bar.close()

    def build_full_result(self) -> Dict[str, Any]:
        """Every page's results in one dict, as botocore builds it (no ResponseMetadata)."""
        state = _Pages(self._spec, self._params, self._config)
        full: Dict[str, Any] = {}
        items: List[Any] = []
        for page in self:
            state.merge(full, items, page)
        state.resume_token = self.resume_token
        return state.full_result(full, items)


class AsyncPaginator(Paginator):
    """``AsyncClient.get_paginator(name)``: ``paginate(...)`` is an async iterator."""

    def paginate(self, *, progress: bool = False, **kwargs: Any) -> AsyncPageIterator:
        config = _check_config(kwargs)
        return AsyncPageIterator(self._client, self._operation, self._spec, kwargs, config, progress)


class AsyncPageIterator(PageIterator):
    """``async for page in paginator.paginate(...)``; ``await build_full_result()``."""

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        raise TypeError("an AsyncClient's pages are iterated with `async for`")

    async def __aiter__(self) -> AsyncIterator[Dict[str, Any]]:
        state = _Pages(self._spec, self._params, self._config)
        bar = _progress_bar(self._operation) if self._progress else None
        try:
            while not state.done:
                page = state.take(await self._client._call(self._operation, state.next_params()))
                self.resume_token = state.resume_token
                if bar is not None:
                    bar.update(1)
                yield page
        finally:
            if bar is not None:
                bar.close()

    async def build_full_result(self) -> Dict[str, Any]:  # type: ignore[override]
        state = _Pages(self._spec, self._params, self._config)
        full: Dict[str, Any] = {}
        items: List[Any] = []
        async for page in self:
            state.merge(full, items, page)
        state.resume_token = self.resume_token
        return state.full_result(full, items)
