#!/usr/bin/env bash
# `make lint`: every linter the project uses, in one place.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
.venv/bin/ruff check py/python emulator/python/python tests/python examples/python tools
.venv/bin/ruff format --check py/python emulator/python/python tests/python examples/python
.venv/bin/mypy --strict py/python/cognito_identity emulator/python/python/cognito_identity_emulator examples/python
(cd go && go vet ./...)
bash tools/header.sh check
