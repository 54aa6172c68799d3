#!/usr/bin/env bash
# Rust: formatting, lints, and every crate's tests (the Python extension crate
# is built and tested by tests/python/run.sh through maturin).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --exclude cognito-identity-py --exclude cognito-identity-emulator-py
