#!/usr/bin/env python3
"""Copy botocore's endpoint rule set and partitions table into core/src/endpoint/.

The Rust endpoint resolver (core/src/endpoint/) interprets these two documents at run
time, so endpoints follow the service's published rules rather than hand-written
copies. Re-run after upgrading botocore:

    python3 tools/gen_endpoint_data.py

Output is minified JSON with `documentation` strings and per-region descriptions
dropped; each file gets a "_source" key recording the botocore version it came from.
"""

import gzip
import json
import os

import botocore

SERVICE = "cognito-identity"
API_VERSION = "2014-06-30"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO, "core", "src", "endpoint")


def strip_docs(value):
    """Drop every `documentation` member, recursively: the resolver never reads them."""
    if isinstance(value, dict):
        return {k: strip_docs(v) for k, v in value.items() if k != "documentation"}
    if isinstance(value, list):
        return [strip_docs(v) for v in value]
    return value


def strip_region_descriptions(partitions):
    """Region entries only matter as keys; their descriptions are documentation too."""
    for partition in partitions["partitions"]:
        partition["regions"] = {
            name: {k: v for k, v in region.items() if k != "description"}
            for name, region in partition.get("regions", {}).items()
        }
    return partitions


def as_text(document, source):
    document = {"_source": source, **document}
    return json.dumps(document, separators=(",", ":"), sort_keys=False, ensure_ascii=False) + "\n"


def render():
    data = os.path.join(os.path.dirname(botocore.__file__), "data")
    rule_set_path = os.path.join(data, SERVICE, API_VERSION, "endpoint-rule-set-1.json.gz")
    partitions_path = os.path.join(data, "partitions.json")

    with gzip.open(rule_set_path, "rt", encoding="utf-8") as f:
        rule_set = strip_docs(json.load(f))
    with open(partitions_path, encoding="utf-8") as f:
        partitions = strip_region_descriptions(strip_docs(json.load(f)))

    version = botocore.__version__
    out_dir = os.path.relpath(OUT_DIR, REPO)
    return {
        os.path.join(out_dir, "rule_set.json"): as_text(
            rule_set, f"botocore {version}: data/{SERVICE}/{API_VERSION}/endpoint-rule-set-1.json.gz"
        ),
        os.path.join(out_dir, "partitions.json"): as_text(partitions, f"botocore {version}: data/partitions.json"),
    }
