"""The quick start and the notebook run top to bottom against the emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from conftest import ROOT

EXAMPLES = os.path.join(ROOT, "examples", "python")


def test_quickstart(emu: Any) -> None:
    out = subprocess.run(
        [sys.executable, os.path.join(EXAMPLES, "quickstart.py"), emu.url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "identity id:   us-east-1:" in out.stdout and "expires at:" in out.stdout
    assert "redacted" not in out.stdout and "SecretKey" not in out.stdout


@pytest.mark.parametrize("server", ["external emulator", "in-process emulator"])
def test_notebook(emu: Any, monkeypatch: Any, server: str) -> None:
    import nbformat
    from nbclient import NotebookClient

    if server == "external emulator":
        monkeypatch.setenv("COGNITO_IDENTITY_ENDPOINT", emu.url)
    else:
        monkeypatch.delenv("COGNITO_IDENTITY_ENDPOINT", raising=False)
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(os.path.join(EXAMPLES, "explore.ipynb"), as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": EXAMPLES}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = str(outputs)
    assert "*** redacted ***" in text
    # The async cells: 200 concurrent identities, async pagination, the service model.
    assert "'text/plain': '200'" in text and "'more2'" in text and "'IdentityPoolId'" in text
