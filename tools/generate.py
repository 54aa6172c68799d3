"""Every generator of the repository, in one pipeline (`make generate`).

    .venv/bin/python tools/generate.py          # write the generated files
    .venv/bin/python tools/generate.py --check  # exit 1 naming each stale file

Sources: botocore's Cognito Identity model (pinned in tools/requirements-dev.txt)
and tools/front_doors.py. Outputs:

- Rust: the model table, the typed API, the endpoint data, the C ABI's
  per-operation functions, its status enum, the error codes and config keys;
- Go: the typed structs and methods, the status and code constants, Config;
- Python: the stub, the operation methods, the exception classes, the shared tables.

The output does not depend on what happens to be installed: Python is
formatted by the ruff pinned in .venv, Go by gofmt of the Go toolchain (which
the project needs anyway; the generator refuses to run without it), and Rust
is written as it is compiled (the generated modules are `#[rustfmt::skip]`).
The C header is generated from the Rust sources by `tools/header.sh`, which
`make generate` runs after this.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import gen_endpoint_data  # noqa: E402
import gen_ffi_ops  # noqa: E402
import gen_front_doors  # noqa: E402
import gen_go  # noqa: E402
import gen_pyi  # noqa: E402
import gen_rust_model  # noqa: E402
import gen_rust_types  # noqa: E402

GENERATORS = [gen_rust_model, gen_rust_types, gen_endpoint_data, gen_ffi_ops, gen_front_doors, gen_go, gen_pyi]


def gofmt(text: str) -> str:
    exe = shutil.which("gofmt")
    if exe is None:
        raise SystemExit("generate.py: gofmt (from the Go toolchain) is needed to format the generated Go")
    return subprocess.run([exe], input=text, capture_output=True, text=True, check=True).stdout


def ruff(text: str, path: str) -> str:
    ruff_cmd = [sys.executable, "-m", "ruff"]
    stdin = ["--stdin-filename", os.path.join(ROOT, path), "-"]
    fixed = subprocess.run(
        [*ruff_cmd, "check", "--fix", "--quiet", "--exit-zero", *stdin],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return subprocess.run(
        [*ruff_cmd, "format", "--quiet", *stdin], input=fixed, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout


def formatted(path: str, text: str) -> str:
    if path.endswith(".go"):
        return gofmt(text)
    if path.endswith((".py", ".pyi")):
        return ruff(text, path)
    return text


def main() -> int:
    check = "--check" in sys.argv[1:]
    outputs: dict[str, str] = {}
    for gen in GENERATORS:
        for path, text in gen.render().items():
            if path in outputs:
                raise SystemExit(f"generate.py: two generators write {path}")
            outputs[path] = formatted(path, text)
    stale = []
    for path, text in sorted(outputs.items()):
        full = os.path.join(ROOT, path)
        try:
            with open(full, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current == text:
            continue
        if check:
            stale.append(path)
        else:
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"wrote {path}")
    if stale:
        print("generated files differ from what `make generate` writes (edited by hand, or stale):", file=sys.stderr)
        for path in stale:
            print(f"  {path}", file=sys.stderr)
        return 1
    print(f"generate.py: {len(outputs)} generated files {'checked' if check else 'up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
