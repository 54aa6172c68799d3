#!/usr/bin/env bash
# `make bench`: builds what can be built, then measures everything against one
# nginx on 127.0.0.1 and rewrites bench/RESULTS.md (bench/harness.py).
# A front door or peer that does not build is reported "not available"; the
# run goes on. Build logs: bench/work/logs/. Heavy builds run under nice -n 19.
# BENCH_QUICK=1 makes every measurement short (a smoke run of the harness).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
work="$here/work"
logs="$work/logs"
mkdir -p "$work/bin" "$logs" "$work/wheels"
cd "$root"

step() { # step NAME COMMAND...: run, log, report; never abort the run
  local name="$1"; shift
  if "$@" >"$logs/$name.log" 2>&1; then echo "[bench] $name: ok"
  else echo "[bench] $name: FAILED (see bench/work/logs/$name.log; reported as not available)"; return 1; fi
}

if ! command -v nginx >/dev/null; then
  apt-get install -y nginx-light >"$logs/apt.log" 2>&1 ||
    { apt-get update >>"$logs/apt.log" 2>&1 && apt-get install -y nginx-light >>"$logs/apt.log" 2>&1; } ||
    { echo "[bench] cannot install nginx-light"; exit 1; }
fi

step floor gcc -O2 -Wall -Wextra -o "$work/bin/floor" "$here/floor.c" -lpthread || exit 1

# Ours is measured as released: profile-guided release builds (tools/pgo.sh)
# for the host's triple, in target/<triple>/release. PGO=0 measures plain
# release builds; a profile that cannot be made is reported, and the run goes
# on without it.
host="$(rustc -vV | sed -n 's/^host: //p')"
rel="$root/target/$host/release"
pgo_flags() { # pgo_flags c|py: RUSTFLAGS for the final build, empty without a profile
  if [ "${PGO:-1}" != 0 ] && step "pgo-$1" nice -n 19 env PGO_PYTHON="$venv/bin/python" bash tools/pgo.sh "$1" "target/pgo/$1.profdata" >&2; then
    bash tools/pgo.sh flags "target/pgo/$1.profdata"
  fi
}
venv="$work/venv"
pgo_built=()

# Ours, C: the release cdylib/staticlib, and the C bench linked to the .so.
rm -f "$work/bin/c_bench" "$work/bin/go-ours"
c_flags="$(pgo_flags c)"
[ -n "$c_flags" ] && pgo_built+=(C Go)
if RUSTFLAGS="$c_flags" step ffi-release nice -n 19 cargo build --release -p cognito-identity-ffi --target "$host"; then
  step c-bench gcc -O2 -Wall -Wextra -o "$work/bin/c_bench" "$here/c_bench.c" \
    -L"$rel" -lcognito_identity -Wl,-rpath,"$rel" -lpthread
  # Ours, Go: the cgo package linking the same static library.
  (cd "$here/go-ours" && CGO_LDFLAGS="$rel/libcognito_identity.a -lpthread -ldl -lm -lrt -lutil" \
    step go-ours nice -n 19 go build -tags cognito_external -o "$work/bin/go-ours" .)
fi

# Python: a venv of the bench's own (the team's .venv is left alone) with boto3
# from PyPI and our release wheel built by maturin.
if [ ! -x "$venv/bin/python" ]; then
  step venv bash -c "python3 -m venv '$venv' && '$venv/bin/pip' install -q --disable-pip-version-check boto3 'maturin>=1.8,<2'"
fi
if [ ! -x "$work/venv-aio/bin/python" ]; then
  step venv-aio bash -c "python3 -m venv '$work/venv-aio' && '$work/venv-aio/bin/pip' install -q --disable-pip-version-check aiobotocore"
fi
rm -f "$work/wheels"/*.whl
py_flags="$(pgo_flags py)"
[ -n "$py_flags" ] && pgo_built+=(Python)
if RUSTFLAGS="$py_flags" step wheel nice -n 19 "$venv/bin/maturin" build --release -q --target "$host" -o "$work/wheels" \
  --manifest-path py/Cargo.toml; then
  step wheel-install "$venv/bin/pip" install -q --disable-pip-version-check --no-deps --force-reinstall "$work/wheels"/*.whl
else
  "$venv/bin/pip" uninstall -q -y cognito-identity >/dev/null 2>&1 || true
fi

# Peers: aws-sdk-rust (own workspace and target dir, cached in bench/work) and aws-sdk-go-v2.
(cd "$here/rust-peer" && CARGO_TARGET_DIR="$work/target-peer" step rust-peer nice -n 19 cargo build --release)
(cd "$here/go-peer" && step go-peer nice -n 19 go build -o "$work/bin/go-peer" .)

# Named in RESULTS.md's machine section.
export BENCH_PGO="${pgo_built[*]:-none}"
echo "[bench] profile-guided builds: $BENCH_PGO"
echo "[bench] load average before measuring: $(cat /proc/loadavg)"
py="$venv/bin/python"; [ -x "$py" ] || py=python3
exec "$py" "$here/harness.py"
