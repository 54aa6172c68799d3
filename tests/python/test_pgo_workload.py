"""The PGO training workload (tools/pgo.sh) stays true to the emulator: the
Python driver replays it with every outcome as expected, and stops, naming the
line, when one drifts (a drifted workload would train the error paths)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from conftest import ROOT

TRAIN = os.path.join(ROOT, "tools", "pgo", "train.py")
WORKLOAD = os.path.join(ROOT, "tools", "pgo", "workload.tsv")


def train(workload: str, url: str, rounds: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, TRAIN, workload, url, str(rounds)], capture_output=True, text=True, timeout=120, check=False
    )


def test_workload_replays_with_every_outcome_expected(emu: Any) -> None:
    out = train(WORKLOAD, emu.url, 2)
    assert out.returncode == 0, out.stderr
    with open(WORKLOAD, encoding="utf-8") as f:
        calls = [line for line in f if line.strip() and not line.startswith("#")]
    assert out.stdout.strip() == f"train.py: {2 * len(calls)} calls, every outcome as expected"
    # Every operation of the model is in the workload.
    ops = {line.split("\t")[0] for line in calls}
    import cognito_identity

    client = cognito_identity.Client(region_name="us-east-1", endpoint_url=emu.url)
    assert ops == set(client.meta.service_model.operation_names)


def test_a_drifted_workload_stops_at_its_line(emu: Any, tmp_path: Any) -> None:
    with open(WORKLOAD, encoding="utf-8") as f:
        lines = f.read().split("\n")
    last = max(i for i, line in enumerate(lines) if line.endswith("\tResourceNotFoundException"))
    lines[last] = lines[last].rsplit("\t", 1)[0] + "\tok"
    drifted = tmp_path / "drifted.tsv"
    drifted.write_text("\n".join(lines), encoding="utf-8")
    out = train(str(drifted), emu.url, 1)
    assert out.returncode != 0
    op = lines[last].split("\t")[0]
    assert f"{drifted}:{last + 1}: {op} ended 'ResourceNotFoundException', the workload expects 'ok'" in out.stderr
