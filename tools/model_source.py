"""Load the Cognito Identity service model that ships with botocore.

Shared by the code generators in this folder, so every language's generated
table comes from one reading of one model.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
from typing import Any

SERVICE = "cognito-identity"
API_VERSION = "2014-06-30"

# Members the model does not mark sensitive but that are secrets all the same:
# a session token is as good as the secret key it came with.
EXTRA_SENSITIVE_SHAPES = {"SessionTokenString"}

# botocore ships a paginator only for ListIdentityPools; the two other
# operations with NextToken/MaxResults page the same way.
EXTRA_PAGINATORS: dict[str, dict[str, str]] = {
    "ListIdentities": {
        "input_token": "NextToken",
        "output_token": "NextToken",
        "limit_key": "MaxResults",
        "result_key": "Identities",
    },
    "LookupDeveloperIdentity": {
        "input_token": "NextToken",
        "output_token": "NextToken",
        "limit_key": "MaxResults",
        "result_key": "DeveloperUserIdentifierList",
    },
}


def _data_dir() -> str:
    import botocore  # imported late: only the generators need it

    return os.path.join(os.path.dirname(botocore.__file__), "data", SERVICE, API_VERSION)


def botocore_version() -> str:
    import botocore

    return str(botocore.__version__)


def load() -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (service model, paginators) with our additions applied."""
    d = _data_dir()
    with gzip.open(os.path.join(d, "service-2.json.gz"), "rt", encoding="utf-8") as f:
        model = json.load(f)
    with open(os.path.join(d, "paginators-1.json"), encoding="utf-8") as f:
        paginators = json.load(f)["pagination"]
    for name, spec in EXTRA_PAGINATORS.items():
        paginators.setdefault(name, spec)
    for name in EXTRA_SENSITIVE_SHAPES:
        model["shapes"][name]["sensitive"] = True
    return model, paginators


def is_signed(op: dict[str, Any]) -> bool:
    return op.get("authtype") != "none" and "smithy.api#noAuth" not in op.get("auth", [])


def snake_case(name: str) -> str:
    """botocore's xform_name for the names this model has (no acronyms run together)."""
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0 and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower())):
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def first_sentence(doc: str) -> str:
    """The first sentence of a model documentation string, as plain text."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", doc or ""))
    text = " ".join(text.split())
    m = re.match(r"(.+?\.)(\s|$)", text)
    return (m.group(1) if m else text)[:300]
