#!/usr/bin/env bash
# The C suite (make test-c): builds the library and the emulator, starts the
# emulator, then runs the C test programs twice, under AddressSanitizer +
# UndefinedBehaviorSanitizer (linked to the shared library) and under valgrind
# (linked to the static library). Also checks that the header is up to date,
# that it compiles as C++, that `make install` + pkg-config give a working
# build (shared and static), and that examples/c/quickstart.c runs.
#
# Prints one line per check and ends with "N passed, M failed"; exits non-zero
# on any failure.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}/debug"
work="$(mktemp -d)"
emulator_pid=""
passed=0
failed=0

# shellcheck source=tests/c/emulator.sh
. "$root/tests/c/emulator.sh"

cleanup() {
  stop_emulator
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
# Runs a command as one check; shows its output only when it fails.
step() {
  local name="$1"
  shift
  if "$@" >"$work/step.log" 2>&1; then
    pass "$name"
  else
    cat "$work/step.log"
    fail "$name"
  fi
}

echo "== build"
cargo build -p cognito-identity-ffi -p cognito-identity-emulator || { echo "0 passed, 1 failed"; exit 1; }

echo "== emulator"
if ! start_emulator "$target/cognito-identity-emulator"; then
  cat "$work/emulator.err"
  echo "the emulator did not start"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "emulator at $url"

# A clean, known environment: no credentials or profiles from the machine,
# a region for the "defaults" checks.
mkdir -p "$work/home"
# cargo and rustup (run again below, by header.sh and install_c.sh) find
# their homes through $HOME unless told: pin them before HOME changes.
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE \
  AWS_ENDPOINT_URL AWS_ENDPOINT_URL_COGNITO_IDENTITY AWS_DEFAULT_REGION AWS_CA_BUNDLE
export HOME="$work/home" AWS_CONFIG_FILE="$work/home/none" AWS_SHARED_CREDENTIALS_FILE="$work/home/none"
export AWS_REGION=us-east-1 COGNITO_IDENTITY_ENDPOINT="$url" AWS_EC2_METADATA_DISABLED=true

CFLAGS=(-Wall -Wextra -Wpedantic -Werror -std=c11 -g -I include)
TESTS=(test_ops test_status test_threads test_credentials test_logging test_split_call)

# Runs one test program: counts its "ok" / "not ok" lines; a non-zero exit
# with no failed check (a sanitizer report, a crash) is one failure more.
run_program() {
  local label="$1"
  shift
  local log="$work/run.log"
  "$@" >"$log" 2>&1
  local rc=$?
  local ok bad
  ok=$(grep -c '^ok - ' "$log")
  bad=$(grep -c '^not ok - ' "$log")
  grep -E '^not ok - ' "$log" | sed "s|^|[$label] |"
  passed=$((passed + ok))
  failed=$((failed + bad))
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
    sed "s|^|[$label] |" "$log" | tail -60
    fail "$label exited with status $rc"
  fi
  echo "[$label] $ok ok, $bad not ok, exit $rc"
}

echo "== ASan + UBSan (shared library)"
mkdir -p "$work/asan"
asan_ok=1
for t in "${TESTS[@]}"; do
  gcc "${CFLAGS[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
    -o "$work/asan/$t" "tests/c/$t.c" tests/c/common.c \
    -L"$target" -lcognito_identity -lpthread -Wl,-rpath,"$target" || { fail "compile $t (asan)"; asan_ok=0; }
done
if [ "$asan_ok" = 1 ]; then
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1"
  # LeakSanitizer runs too (detect_leaks=1) and needs no suppressions: the
  # library's runtime threads and pools live in globals, which LSan treats
  # as reachable.
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  for t in "${TESTS[@]}"; do
    run_program "asan $t" "$work/asan/$t"
  done
  unset ASAN_OPTIONS UBSAN_OPTIONS
fi

echo "== valgrind (static library)"
mkdir -p "$work/vg"
for t in "${TESTS[@]}"; do
  if gcc "${CFLAGS[@]}" -o "$work/vg/$t" "tests/c/$t.c" tests/c/common.c \
    "$target/libcognito_identity.a" -lpthread -ldl -lm; then
    # tests/c/valgrind.supp hides three "possibly lost" patterns of
    # still-reachable runtime data (see the file); never a definite leak.
    run_program "valgrind $t" valgrind --error-exitcode=1 --leak-check=full \
      --suppressions="$root/tests/c/valgrind.supp" "$work/vg/$t"
    summary="$(grep -E 'ERROR SUMMARY|definitely lost|no leaks are possible' "$work/run.log" | sed 's/^==[0-9]*== *//')"
    echo "$summary" | sed "s|^|[valgrind $t] |"
    if echo "$summary" | grep -q 'ERROR SUMMARY: 0 errors' \
      && { echo "$summary" | grep -q 'definitely lost: 0 bytes' || echo "$summary" | grep -q 'no leaks are possible'; }; then
      pass "valgrind $t: 0 errors, 0 bytes definitely lost"
    else
      fail "valgrind $t: errors or bytes definitely lost"
    fi
  else
    fail "compile $t (valgrind)"
  fi
done

echo "== header"
step "the header compiles as C with -Wall -Wextra -Wpedantic -Werror -std=c99" \
  gcc -Wall -Wextra -Wpedantic -Werror -std=c99 -fsyntax-only -x c include/cognito_identity.h
step "the header compiles, links and runs as C++ (g++ -Wall -Wextra -Werror)" \
  bash -c "g++ -Wall -Wextra -Werror -std=c++11 -I include -o '$work/test_header' tests/c/test_header.cpp \
    -L'$target' -lcognito_identity -Wl,-rpath,'$target' && '$work/test_header'"

echo "== quickstart"
gcc "${CFLAGS[@]}" -o "$work/quickstart" examples/c/quickstart.c -L"$target" -lcognito_identity \
  -Wl,-rpath,"$target" && "$work/quickstart" "$url" >"$work/quickstart.out" 2>&1
rc=$?
cat "$work/quickstart.out"
if [ "$rc" -eq 0 ] && grep -q '^identity id: ' "$work/quickstart.out" && grep -q '^expiration: ' "$work/quickstart.out" \
  && ! grep -qiE 'SecretKey|SessionToken|eyJ' "$work/quickstart.out"; then
  pass "examples/c/quickstart.c prints the identity and expiration and no secret"
else
  fail "examples/c/quickstart.c"
fi

# The PGO training driver (tools/pgo.sh) replays its workload against the
# emulator with every outcome as expected, and stops on one that is not.
echo "== PGO training workload"
if gcc "${CFLAGS[@]}" -o "$work/train" tools/pgo/train.c -L"$target" -lcognito_identity -Wl,-rpath,"$target"; then
  step "tools/pgo/train.c replays tools/pgo/workload.tsv (2 rounds) with every outcome as expected" \
    "$work/train" tools/pgo/workload.tsv "$url" 2
  sed 's/^\(DescribeIdentityPool\t.*\t\)ResourceNotFoundException$/\1ok/' tools/pgo/workload.tsv >"$work/drifted.tsv"
  drifted_line="$(grep -n $'^DescribeIdentityPool\t.*\tok$' "$work/drifted.tsv" | tail -1 | cut -d: -f1)"
  if ! "$work/train" "$work/drifted.tsv" "$url" 1 >"$work/train.out" 2>&1 \
    && grep -q "workload line $drifted_line: DescribeIdentityPool ended 'ResourceNotFoundException'" "$work/train.out"; then
    pass "tools/pgo/train.c stops at a call whose outcome the workload does not expect, naming its line"
  else
    cat "$work/train.out"
    fail "tools/pgo/train.c stops at a call whose outcome the workload does not expect, naming its line"
  fi
else
  fail "compile tools/pgo/train.c"
fi

# Last: the SONAME'd install build replaces the in-tree library until the
# next plain `cargo build` (see tools/install_c.sh).
echo "== install + pkg-config"
prefix="$work/prefix"
step "tools/install_c.sh installs into a prefix" env COGNITO_IDENTITY_INSTALL_PROFILE=debug bash tools/install_c.sh "$prefix"
pcfile="$prefix/lib/pkgconfig/cognito_identity.pc"
version="$(sed -n 's/^#define COGNITO_IDENTITY_VERSION "\(.*\)"$/\1/p' include/cognito_identity.h)"
IFS=. read -r v_major v_minor _ <<<"$version"
soname="libcognito_identity.so.$v_major"
[ "$v_major" = 0 ] && soname="libcognito_identity.so.0.$v_minor"
step "the installed library's SONAME is $soname, with its links" bash -c \
  "readelf -d '$prefix/lib/libcognito_identity.so.$version' | grep -q 'Library soname: \[$soname\]' \
   && [ \"\$(readlink '$prefix/lib/$soname')\" = 'libcognito_identity.so.$version' ] \
   && [ \"\$(readlink '$prefix/lib/libcognito_identity.so')\" = '$soname' ]"
# `pc FLAGS...` is pkg-config on the installed .pc, or, without pkg-config,
# the same fields read from the file (variables expanded by the shell).
pc() {
  if command -v pkg-config >/dev/null; then
    PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config "$@" cognito_identity
  else
    local prefix_ exec_prefix libdir includedir out=""
    prefix_="$(sed -n 's/^prefix=//p' "$pcfile")"
    exec_prefix="$prefix_" libdir="$prefix_/lib" includedir="$prefix_/include"
    for flag in "$@"; do
      case "$flag" in
        --cflags) out="$out $(sed -n 's/^Cflags: //p' "$pcfile")" ;;
        --libs) out="$out $(sed -n 's/^Libs: //p' "$pcfile")" ;;
        --static) out="$out $(sed -n 's/^Libs.private: //p' "$pcfile")" ;;
      esac
    done
    out="${out//\$\{includedir\}/$includedir}"
    out="${out//\$\{libdir\}/$libdir}"
    echo "$out"
  fi
}
command -v pkg-config >/dev/null || echo "(pkg-config not found: reading $pcfile directly)"
if [ -f "$pcfile" ]; then
  # Shared: the usual `pkg-config --cflags --libs`.
  step "pkg-config build against the shared library" bash -c \
    "gcc -Wall -Wextra -Wpedantic -Werror -std=c11 -o '$work/quick_shared' examples/c/quickstart.c $(pc --cflags --libs) \
     && LD_LIBRARY_PATH='$prefix/lib' '$work/quick_shared' '$url' >/dev/null \
     && readelf -d '$work/quick_shared' | grep -q 'Shared library: \[$soname\]'"
  # Static: the same flags with the archive chosen over the .so, then the
  # system libraries it needs (Libs.private: --static --libs minus our own).
  private_libs="$(pc --static --libs | tr ' ' '\n' | grep -- '^-l' | grep -v -- '^-lcognito_identity$' | tr '\n' ' ')"
  step "pkg-config build against the static library" bash -c \
    "gcc -Wall -Wextra -Wpedantic -Werror -std=c11 -o '$work/quick_static' examples/c/quickstart.c $(pc --cflags) \
     -Wl,-Bstatic $(pc --libs) -Wl,-Bdynamic $private_libs \
     && '$work/quick_static' '$url' >/dev/null \
     && ! ldd '$work/quick_static' | grep -q 'libcognito_identity'"
else
  fail "no $pcfile"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
