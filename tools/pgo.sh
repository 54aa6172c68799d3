#!/usr/bin/env bash
# Profile-guided optimisation of the release builds: writes the profile that a
# release build then reads with RUSTFLAGS="-Cprofile-use=PROFILE".
#
#   tools/pgo.sh c  PROFILE                 the C library (ffi-c/lib), trained by tools/pgo/train.c
#   tools/pgo.sh py PROFILE [MATURIN_ARG...] the Python module (py/), trained by tools/pgo/train.py;
#                                           give the final build's maturin arguments (--zig ...)
#
# Each builds an instrumented release build for the host's target triple (in
# target/pgo/), replays tools/pgo/workload.tsv against the emulator with it,
# and merges the counts with the toolchain's llvm-profdata (the rustup
# component llvm-tools, added when missing).
#
# Why: a call's work is spread over many small functions of several crates
# (hyper, http, serde_json, the signer, our own). Laid out by the profile, the
# hot ones share cache lines and pages; pinned against nginx the C library's
# signed call went from 61.5 to 50.9 µs (bench/analysis.md). The profile must come
# from the same sources, features and target triple as the build that reads it
# (symbol names carry a hash of them): the final build passes
# `--target "$(rustc -vV | sed -n 's/^host: //p')"` as this script does.
#
# PGO=0 in the environment makes the callers (tools/dist.sh, bench/run.sh)
# build without a profile.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

usage() { echo "usage: tools/pgo.sh c|py PROFILE [MATURIN_ARG...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
kind="$1"
profile="$2"
shift 2
case "$kind" in c | py) ;; *) usage ;; esac
case "$profile" in /*) ;; *) profile="$root/$profile" ;; esac

host="$(rustc -vV | sed -n 's/^host: //p')"
work="$root/target/pgo"
raw="$work/raw-$kind"
rounds="${PGO_ROUNDS:-150}"

profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
  echo "pgo: adding the rustup component llvm-tools (llvm-profdata)"
  rustup component add llvm-tools >/dev/null 2>&1 || true
fi
[ -x "$profdata" ] || { echo "pgo: no llvm-profdata at $profdata (rustup component add llvm-tools; or PGO=0)" >&2; exit 1; }

rm -rf "$raw"
mkdir -p "$raw" "$(dirname "$profile")"
# The emulator is the tests' debug build, not instrumented.
env -u RUSTFLAGS cargo build --quiet -p cognito-identity-emulator
emulator="${CARGO_TARGET_DIR:-$root/target}/debug/cognito-identity-emulator"
port_file="$work/emulator.port"
rm -f "$port_file"
"$emulator" --port 0 --port-file "$port_file" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.05; done
[ -s "$port_file" ] || { echo "pgo: the emulator did not start (target/pgo/emulator.log)" >&2; exit 1; }
url="http://127.0.0.1:$(tr -d '\n' <"$port_file")"

export CARGO_TARGET_DIR="$work/gen"
# The instrumented build writes its counts into $raw, a .profraw file a process.
export RUSTFLAGS="-Cprofile-generate=$raw"
case "$kind" in
  c)
    echo "pgo: instrumented C library"
    cargo build --quiet --release -p cognito-identity-ffi --target "$host"
    lib="$CARGO_TARGET_DIR/$host/release"
    cc -std=c11 -O2 -Iinclude -o "$work/train" tools/pgo/train.c -L"$lib" -lcognito_identity -Wl,-rpath,"$lib"
    "$work/train" tools/pgo/workload.tsv "$url" "$rounds"
    ;;
  py)
    echo "pgo: instrumented Python module"
    rm -rf "$work/wheel"
    # The final build's arguments, so that the module is compiled the same way;
    # --target, --release and --out are this script's.
    args=()
    while [ $# -gt 0 ]; do
      case "$1" in
        --release | --quiet | -q) shift ;;
        --out | -o | --target | --manifest-path | -m) shift 2 ;;
        *) args+=("$1"); shift ;;
      esac
    done
    python_bin="${PGO_PYTHON:-python3}"
    "$python_bin" -m maturin build --quiet --release --target "$host" --out "$work/wheel" \
      --manifest-path py/Cargo.toml "${args[@]}"
    rm -rf "$work/venv"
    "$python_bin" -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-deps "$work/wheel"/*.whl
    "$work/venv/bin/python" tools/pgo/train.py tools/pgo/workload.tsv "$url" "$rounds"
    ;;
esac

kill "$emulator_pid" 2>/dev/null || true
wait "$emulator_pid" 2>/dev/null || true
trap - EXIT
"$profdata" merge -o "$profile" "$raw"
echo "pgo: wrote $profile ($(du -h "$profile" | cut -f1))"
