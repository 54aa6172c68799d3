#!/usr/bin/env bash
# Rust: formatting, lints, and every crate's tests (the Python extension
# crates have no Rust tests: tests/python/run.sh builds them with maturin and
# tests them from Python; `extension-module` is a feature maturin turns on).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
