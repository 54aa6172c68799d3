#!/usr/bin/env bash
# `make demo`: build, start the local emulator, run every quick start against it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

echo "== building the emulator, the C library and the Rust example"
cargo build -q -p cognito-identity-emulator -p cognito-identity-ffi
cargo build -q -p cognito-identity --example quickstart --example identity_pool

log=$(mktemp)
target/debug/cognito-identity-emulator --port 0 >"$log" 2>&1 &
emu=$!
trap 'kill $emu 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$log" && break
  sleep 0.05
done
url=$(grep -m1 -o 'http://[0-9.:]*' "$log") || { cat "$log"; echo "the emulator did not start"; exit 1; }
export COGNITO_IDENTITY_ENDPOINT=$url
echo "== emulator listening on $url"

echo; echo "== Rust (core/examples/quickstart.rs)"
target/debug/examples/quickstart "$url"

echo; echo "== Rust: identity-pool credentials for the AWS SDK for Rust (core/examples/identity_pool.rs)"
target/debug/examples/identity_pool "$url"

echo; echo "== Python (examples/python/quickstart.py)"
make -s venv
VIRTUAL_ENV="$root/.venv" .venv/bin/python -m maturin develop --quiet --manifest-path py/Cargo.toml
.venv/bin/python examples/python/quickstart.py "$url"

echo; echo "== C (examples/c/quickstart.c)"
out=$(mktemp -d)
cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/quickstart.c -o "$out/quickstart" \
  target/debug/libcognito_identity.a -lpthread -ldl -lm
"$out/quickstart" "$url"
rm -rf "$out"

echo; echo "== Go (examples/go/quickstart)"
(cd examples/go/quickstart && go run -tags cognito_debug .)

echo; echo "demo finished: every quick start ran against the local emulator"
