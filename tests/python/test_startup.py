"""Start-up cost is measured in bench/; this only guards what makes it cheap."""

from __future__ import annotations

import ast
import subprocess
import sys


def test_import_loads_no_heavy_standard_module() -> None:
    code = "import sys; before = set(sys.modules); import cognito_identity; print(sorted(set(sys.modules) - before))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(out.stdout))
    assert "cognito_identity._native" in loaded
    # Each of these costs milliseconds of a cold start; they load when first needed.
    assert not {"typing", "json", "re", "base64", "datetime", "collections", "asyncio"} & loaded, loaded
