"""A str that keeps its value but never shows it in a repr."""

from __future__ import annotations

# typing is imported only by type checkers: importing it costs milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

REDACTED = "*** redacted ***"


class SecretStr(str):
    """A secret (secret key, session token, OpenID token) from a response.

    It is a real ``str``: indexing a response returns it, it compares equal to
    the plain value and it serializes as the value (``json.dumps``, passing it
    to another client). Only ``repr`` hides it, so printing a response, a
    notebook cell's output or a log line of ``repr(response)`` shows
    ``'*** redacted ***'`` in its place. ``str(secret)`` is the value itself.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(REDACTED)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickles as a plain str: the redaction is a display concern only.
        return (str, (str(self),))
