#!/usr/bin/env bash
# ThreadSanitizer over the C thread test (tests/c/test_threads.c: 8 threads
# share one client, signed and unsigned calls mixed) against an emulator.
#
# The Rust side is built with nightly's -Zsanitizer=thread and -Zbuild-std
# (the standard library instrumented too, or TSan cannot see its
# synchronisation), into its own target directory (TSAN_TARGET_DIR, default
# target/tsan), as a static library; the C side is compiled with gcc
# -fsanitize=thread. The program is linked against the TSan runtime that
# ships with nightly Rust (librustc-nightly_rt.tsan.a, LLVM's compiler-rt),
# not GCC's libtsan: the Rust code is instrumented by a newer LLVM, which
# calls __tsan_memcpy, __tsan_memset and __tsan_memmove, and GCC 12's libtsan
# has none of them (the link fails with "undefined reference to
# `__tsan_memcpy'"). GCC's instrumentation of the C files calls only the
# long-standing entry points (__tsan_read4, __tsan_func_entry, ...), which
# compiler-rt has. The emulator runs uninstrumented, as tests/c/run.sh starts it.
#
# Needs: nightly Rust with rust-src (rustup component add rust-src
# --toolchain nightly) and its TSan runtime, gcc with -fsanitize=thread.
# Without them the script says so and exits 0 (skipped); a data race or any
# other TSan report exits 1.
#
#   tests/c/tsan.sh            (about 15 minutes the first time: std and every
#                               dependency are built instrumented)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
triple="x86_64-unknown-linux-gnu"
tsan_target="${TSAN_TARGET_DIR:-$root/target/tsan}"
plain_target="${CARGO_TARGET_DIR:-$root/target}/debug"
work="$(mktemp -d)"
emulator_pid=""

# shellcheck source=tests/c/emulator.sh
. "$root/tests/c/emulator.sh"

cleanup() {
  stop_emulator
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip() {
  echo "tsan: skipped: $*"
  exit 0
}

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || skip "only set up for x86_64 Linux"
cargo +nightly --version >/dev/null 2>&1 || skip "no nightly Rust (rustup toolchain install nightly)"
sysroot="$(rustc +nightly --print sysroot)"
[ -d "$sysroot/lib/rustlib/src/rust/library" ] \
  || skip "nightly has no rust-src (rustup component add rust-src --toolchain nightly)"
tsan_runtime="$sysroot/lib/rustlib/$triple/lib/librustc-nightly_rt.tsan.a"
[ -f "$tsan_runtime" ] || skip "nightly has no TSan runtime ($tsan_runtime)"
echo 'int main(void) { return 0; }' >"$work/probe.c"
gcc -fsanitize=thread -c -o "$work/probe.o" "$work/probe.c" 2>/dev/null || skip "gcc cannot compile -fsanitize=thread"

echo "== build the library with -Zsanitizer=thread (into $tsan_target)"
# RUSTFLAGS reach only the target's crates (an explicit --target keeps them
# off build scripts and proc macros), so those run uninstrumented.
if ! RUSTFLAGS="-Zsanitizer=thread" CARGO_TARGET_DIR="$tsan_target" \
  cargo +nightly build -Zbuild-std --target "$triple" -p cognito-identity-ffi; then
  echo "tsan: the instrumented library did not build"
  exit 1
fi
lib="$tsan_target/$triple/debug"

echo "== build and start the emulator (uninstrumented)"
cargo build -p cognito-identity-emulator || { echo "tsan: the emulator did not build"; exit 1; }
start_emulator "$plain_target/cognito-identity-emulator" ||
  { cat "$work/emulator.err"; echo "tsan: the emulator did not start"; exit 1; }
echo "emulator at $url"

echo "== compile tests/c/test_threads.c with -fsanitize=thread, link with nightly's TSan runtime"
for c in test_threads common; do
  gcc -Wall -Wextra -Wpedantic -Werror -std=c11 -g -O1 -fsanitize=thread -I include \
    -c -o "$work/$c.o" "tests/c/$c.c" || { echo "tsan: tests/c/$c.c did not compile"; exit 1; }
done
# No -fsanitize=thread at the link: that would bring GCC's libtsan. The
# runtime goes in whole, as rustc links it into Rust executables.
if ! gcc -g -o "$work/test_threads" "$work/test_threads.o" "$work/common.o" "$lib/libcognito_identity.a" \
  -Wl,--whole-archive "$tsan_runtime" -Wl,--no-whole-archive -lpthread -ldl -lm -lrt; then
  echo "tsan: the test did not link against the instrumented library"
  exit 1
fi

echo "== run"
# As tests/c/run.sh: no credentials or profiles from the machine.
mkdir -p "$work/home"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE \
  AWS_ENDPOINT_URL AWS_ENDPOINT_URL_COGNITO_IDENTITY AWS_DEFAULT_REGION AWS_CA_BUNDLE
export HOME="$work/home" AWS_CONFIG_FILE="$work/home/none" AWS_SHARED_CREDENTIALS_FILE="$work/home/none"
export AWS_REGION=us-east-1 COGNITO_IDENTITY_ENDPOINT="$url" AWS_EC2_METADATA_DISABLED=true
export TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 history_size=4 exitcode=66 ${TSAN_OPTIONS:-}"
"$work/test_threads" >"$work/run.log" 2>&1
rc=$?
reports="$(grep -c '^WARNING: ThreadSanitizer' "$work/run.log")"
ok="$(grep -c '^ok - ' "$work/run.log")"
bad="$(grep -c '^not ok - ' "$work/run.log")"
if [ "$reports" -gt 0 ] || [ "$rc" -ne 0 ]; then
  cat "$work/run.log"
fi
echo "tsan: $ok checks ok, $bad not ok, $reports ThreadSanitizer reports, exit $rc"
[ "$reports" -eq 0 ] && [ "$rc" -eq 0 ] && [ "$bad" -eq 0 ]
