#!/usr/bin/env bash
# `make lint`: every linter the project uses, in one place.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
.venv/bin/ruff check py/python tests/python examples/python tools
.venv/bin/ruff format --check py/python tests/python examples/python
.venv/bin/mypy --strict py/python/cognito_identity examples/python
(cd go && go vet ./...)
bash tools/header.sh check
