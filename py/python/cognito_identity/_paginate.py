"""Paginators with boto3's ``PaginationConfig`` (``MaxItems``, ``PageSize``, ``StartingToken``).

Resume tokens have botocore's format (base64 of a JSON object holding the
service's token and, when ``MaxItems`` cut a page short, how many items of
that page were already returned), so a token from one library resumes in the other.
"""

from __future__ import annotations

from .exceptions import ParamValidationError

# typing, json and base64 are imported only where needed: each costs start-up time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Mapping, Optional

    from . import Client

__all__ = ["PageIterator", "Paginator"]

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


def _invalid(message: str) -> ParamValidationError:
    return ParamValidationError({"Error": {"Code": "ParamValidationError", "Message": message, "Type": "Client"}})


class Paginator:
    """Pages through an operation's results; get one from ``client.get_paginator(name)``."""

    def __init__(self, client: Client, operation: str, spec: Mapping[str, str]) -> None:
        self._client = client
        self._operation = operation
        self._spec = spec

    @property
    def result_keys(self) -> List[str]:
        return [self._spec["result_key"]]

    def paginate(self, **kwargs: Any) -> PageIterator:
        from collections.abc import Mapping

        config = kwargs.pop("PaginationConfig", None) or {}
        if not isinstance(config, Mapping):
            raise _invalid("PaginationConfig must be a dict")
        unknown = set(config) - {"MaxItems", "PageSize", "StartingToken"}
        if unknown:
            raise _invalid(f"Unknown PaginationConfig keys: {', '.join(sorted(unknown))}")
        return PageIterator(self._client, self._operation, self._spec, kwargs, config)


class PageIterator:
    """Iterates over pages (response dicts). ``build_full_result()`` merges them."""

    def __init__(
        self,
        client: Client,
        operation: str,
        spec: Mapping[str, str],
        params: Dict[str, Any],
        config: Mapping[str, Any],
    ) -> None:
        self._client = client
        self._operation = operation
        self._in = spec["input_token"]
        self._out = spec["output_token"]
        self._limit = spec["limit_key"]
        self._result = spec["result_key"]
        self._params = params
        self._max_items: Optional[int] = config.get("MaxItems")
        self._page_size: Optional[int] = config.get("PageSize")
        self._starting: Optional[str] = config.get("StartingToken")
        self.resume_token: Optional[str] = None

    @property
    def result_keys(self) -> List[str]:
        return [self._result]

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        token: Optional[str] = None
        skip = 0
        if self._starting:
            start = _decode(self._starting, self._in)
            token = start.get(self._in)
            skip = int(start.get(_TRUNCATE, 0))
        returned = 0
        while True:
            params = dict(self._params)
            if token:
                params[self._in] = token
            if self._page_size is not None:
                params[self._limit] = self._page_size
            # The model requires MaxResults for all three operations; boto3 would
            # fail without it, we page with the largest page the service allows.
            params.setdefault(self._limit, 60)
            page: Dict[str, Any] = self._client._call(self._operation, params)
            items = list(page.get(self._result, []))
            if skip:
                items = items[skip:]
                page[self._result] = items
            next_token = page.get(self._out)
            if self._max_items is not None and returned + len(items) >= self._max_items:
                keep = self._max_items - returned
                if keep < len(items):
                    page[self._result] = items[:keep]
                    self.resume_token = _encode({self._in: token, _TRUNCATE: skip + keep})
                elif next_token:
                    self.resume_token = _encode({self._in: next_token})
                yield page
                return
            returned += len(items)
            yield page
            if not next_token or next_token == token:
                return
            token, skip = next_token, 0

    def build_full_result(self) -> Dict[str, Any]:
        """Every page's results in one dict, as botocore builds it (no ResponseMetadata)."""
        full: Dict[str, Any] = {}
        items: List[Any] = []
        for page in self:
            for key, value in page.items():
                if key not in (self._result, self._out, "ResponseMetadata"):
                    full.setdefault(key, value)
            items.extend(page.get(self._result, []))
        full[self._result] = items
        if self.resume_token is not None:
            full["NextToken"] = self.resume_token
        return full
