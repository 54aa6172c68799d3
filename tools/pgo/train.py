"""Replays tools/pgo/workload.tsv through the Python client (see tools/pgo.sh).

    python tools/pgo/train.py WORKLOAD ENDPOINT_URL ROUNDS

Each operation goes through the client's boto3-shaped method, the path a user's
script takes. Exits non-zero, naming the line, when a call's outcome is not the
one the workload expects.
"""

from __future__ import annotations

import json
import re
import sys

import cognito_identity


def load(path: str) -> list[tuple[int, str, str, str, str]]:
    lines = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) not in (3, 4):
                sys.exit(f"{path}:{number}: expected 3 or 4 tab-separated fields, got {len(fields)}")
            op, template, expect = fields[:3]
            capture = fields[3] if len(fields) == 4 else ""
            lines.append((number, op, template, expect, capture))
    return lines


def main() -> int:
    if len(sys.argv) != 4:
        sys.exit("usage: train.py WORKLOAD ENDPOINT_URL ROUNDS")
    path, url = sys.argv[1], sys.argv[2]
    if not sys.argv[3].isdigit() or int(sys.argv[3]) < 1:
        sys.exit(f"train.py: ROUNDS must be a positive integer, not {sys.argv[3]!r}")
    rounds = int(sys.argv[3])
    client = cognito_identity.Client(
        region_name="us-east-1", endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test"
    )
    # boto3's map from method names to operations, the other way round.
    method_name = {op: method for method, op in client.meta.method_to_api_mapping.items()}
    workload = load(path)
    for number, op, *_ in workload:
        if op not in method_name:
            sys.exit(f"{path}:{number}: no operation {op!r}")
    calls = 0
    names: dict[str, str] = {}
    for rnd in range(rounds):
        names["ROUND"] = str(rnd)
        for number, op, template, expect, capture in workload:
            unknown = set(re.findall(r"\$([A-Z]+)", template)) - set(names)
            if unknown:
                sys.exit(f"{path}:{number}: no value for ${min(unknown)}")
            text = re.sub(r"\$([A-Z]+)", lambda m: names[m.group(1)], template)
            try:
                out = getattr(client, method_name[op])(**json.loads(text))
                outcome = "ok"
            except cognito_identity.CognitoIdentityError as e:
                outcome = e.response["Error"]["Code"]
                out = None
            calls += 1
            if outcome != expect:
                sys.exit(f"{path}:{number}: {op} ended {outcome!r}, the workload expects {expect!r}")
            if capture and out is not None:
                key, name = capture.split("=")
                names[name] = out[key]
    print(f"train.py: {calls} calls, every outcome as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
