#!/usr/bin/env bash
# A short run of every fuzz target (SECONDS each, default 5), for `make test`
# on machines with nightly Rust. Skips with a message, and exit status 0,
# when nightly Rust or cargo-fuzz cannot be had; a build failure or a crash
# fails (exit status 1).
#
#   fuzz/smoke.sh [SECONDS]
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-5}"
tools="$root/target/tools"
export PATH="$tools/bin:$PATH"

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz smoke: skipped, no nightly Rust (rustup toolchain install nightly)"
  exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: installing cargo-fuzz into $tools"
  # A debug build, as header.sh's cbindgen: it only drives cargo.
  if ! nice -n "${FUZZ_NICE:-19}" cargo install cargo-fuzz --locked --debug --root "$tools" >/dev/null 2>&1; then
    echo "fuzz smoke: skipped, cargo-fuzz could not be installed (offline?)"
    exit 0
  fi
fi
FUZZ_PROFILE="${FUZZ_PROFILE:-dev}" exec bash "$root/fuzz/run.sh" "$seconds"
