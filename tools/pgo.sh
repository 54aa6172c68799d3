#!/usr/bin/env bash
# Profile-guided optimisation of the release builds: writes the profile that a
# release build then reads with RUSTFLAGS="-Cprofile-use=PROFILE".
#
#   tools/pgo.sh c  PROFILE                 the C library (ffi-c/lib), trained by tools/pgo/train.c
#   tools/pgo.sh py PROFILE [MATURIN_ARG...] the Python module (py/), trained by tools/pgo/train.py;
#                                           give the final build's maturin arguments (--zig ...)
#   tools/pgo.sh flags PROFILE              prints the RUSTFLAGS value that reads PROFILE
#
# `flags` names the profile by its content (a copy in target/pgo/by-hash/):
# cargo rebuilds when RUSTFLAGS changes, not when a file it names does, so a
# new profile under the same name would leave a build laid out by the old one.
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

usage() { echo "usage: tools/pgo.sh c|py|flags PROFILE [MATURIN_ARG...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
kind="$1"
profile="$2"
shift 2
case "$kind" in c | py | flags) ;; *) usage ;; esac
case "$profile" in /*) ;; *) profile="$root/$profile" ;; esac
if [ "$kind" = flags ]; then
  [ -s "$profile" ] || { echo "pgo: no profile at $profile" >&2; exit 1; }
  named="$root/target/pgo/by-hash/$(sha256sum "$profile" | cut -c1-16).profdata"
  mkdir -p "$(dirname "$named")"
  [ -f "$named" ] || cp "$profile" "$named"
  echo "-Cprofile-use=$named"
  exit 0
fi

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
    # --target, --release and --out are this script's. Linking is left to the
    # host's linker: zig cc (--zig) refuses the `-u __llvm_profile_runtime` that
    # rustc passes for an instrumented build (cargo-zigbuild issue 315), and the
    # linker does not change what rustc compiles (a glibc-2.17 tag then no longer
    # applies: --compatibility goes too). What maturin's --zig does change is
    # cargo's environment, and with it the hash in every symbol's name, which a
    # profile is matched by: the build below gets the same three variables
    # (without them, none of the core's functions found its counts).
    args=()
    while [ $# -gt 0 ]; do
      case "$1" in
        --zig)
          export CARGO_TARGET_APPLIES_TO_HOST=false CARGO_UNSTABLE_TARGET_APPLIES_TO_HOST=true
          export __CARGO_TEST_CHANNEL_OVERRIDE_DO_NOT_USE_THIS=nightly
          shift
          ;;
        --release | --quiet | -q) shift ;;
        --out | -o | --target | --manifest-path | -m | --compatibility | --manylinux) shift 2 ;;
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
