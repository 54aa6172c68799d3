#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each and prints, per
# target, the executions, coverage and crashes. Exits non-zero when a target
# crashed (a finding: its reproducer is in fuzz/artifacts/TARGET/).
#
#   fuzz/run.sh SECONDS [TARGET...]        (make fuzz FUZZ_SECONDS=N)
#   fuzz/run.sh --report SECONDS [TARGET...]   the table of the last run again
#
# Needs nightly Rust (`cargo +nightly`); installs cargo-fuzz into
# target/tools/ when it is missing. Builds once, into fuzz/target (never the
# workspace's target dir), with AddressSanitizer, optimisations, debug
# assertions and overflow checks. Each target starts from its committed seed
# corpus (fuzz/corpus/TARGET, only read) plus a working corpus kept in
# fuzz/target/corpus/TARGET (new inputs land there, not in the repository).
# Environment: FUZZ_JOBS=2 runs two targets at a time; FUZZ_NICE (default 19)
# is the niceness of the fuzzing processes.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
report_only=0
if [ "${1:-}" = "--report" ]; then
  report_only=1
  shift
fi
seconds="${1:-60}"
shift || true
all_targets=(c_abi validate_serialize wire_response endpoint_resolve profile_parse emulator_request)
targets=("$@")
[ "${#targets[@]}" -eq 0 ] && targets=("${all_targets[@]}")
jobs="${FUZZ_JOBS:-1}"
niceness="${FUZZ_NICE:-19}"
fuzz_target_dir="$root/fuzz/target"
tools="$root/target/tools"
export PATH="$tools/bin:$PATH"

if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: fuzz/run.sh SECONDS [TARGET...]" >&2
  exit 2
fi
report() {
  # One line per target, from libFuzzer's final statistics and last status line.
  local crashed=0 t log rc execs rate status_line cov ft corp crashes artifact
  printf '\n%-20s %8s %12s %10s %8s %8s %8s %s\n' target seconds executions exec/s cov features corpus crashes
  for t in "${targets[@]}"; do
    log="$logs/$t.log"
    rc="$(cat "$logs/$t.rc" 2>/dev/null || echo 1)"
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    status_line="$(grep -E '^#[0-9]+' "$log" | tail -1)"
    cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status_line")"
    ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status_line")"
    corp="$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$status_line")"
    crashes=0
    artifact="$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -1 | sed 's/Test unit written to //')"
    if [ "$rc" != 0 ] || [ -n "$artifact" ]; then
      crashes=1
      crashed=1
    fi
    printf '%-20s %8s %12s %10s %8s %8s %8s %s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
      "${corp:-?}" "$crashes${artifact:+ ($artifact)}"
    if [ "$crashes" != 0 ]; then
      echo "--- $t: the end of its log: $log"
      grep -vE '^#[0-9]+' "$log" | tail -40
    fi
  done
  return "$crashed"
}

logs="$fuzz_target_dir/logs"
if [ "$report_only" = 1 ]; then
  report
  exit
fi

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: nightly Rust is needed (rustup toolchain install nightly)" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz into $tools"
  nice -n "$niceness" cargo install cargo-fuzz --locked --debug --root "$tools" || { echo "fuzz: cargo-fuzz could not be installed" >&2; exit 2; }
fi

# FUZZ_PROFILE=dev (the smoke run in `make test`) builds without
# optimisation: a third less build time, slower executions.
if [ "${FUZZ_PROFILE:-release}" = dev ]; then
  build_flags=(--dev -a --fuzz-dir fuzz --target-dir "$fuzz_target_dir")
else
  build_flags=(-O -a --fuzz-dir fuzz --target-dir "$fuzz_target_dir")
fi
echo "== building the fuzz targets (nightly, ASan, ${FUZZ_PROFILE:-release} profile, debug assertions)"
mkdir -p "$fuzz_target_dir"
build_log="$fuzz_target_dir/build.log"
if ! nice -n "$niceness" cargo +nightly fuzz build "${build_flags[@]}" >"$build_log" 2>&1; then
  # The compiler's own messages first (a full build log buries them among
  # hundreds of "Compiling" lines), then the end of the log and the disk:
  # a link that runs out of space fails as "could not compile".
  echo "fuzz: the targets did not build; the errors (whole log: $build_log):" >&2
  grep -E -A 15 '^error(\[|:)' "$build_log" | head -120 >&2
  echo "--- the end of the build log" >&2
  tail -15 "$build_log" >&2
  echo "--- disk: $(df -h "$fuzz_target_dir" | tail -1)" >&2
  exit 1
fi
echo "$(grep -E '^ *Finished' "$build_log" | sed 's/^ *//'); $(grep -c '^warning' "$build_log") warnings (log: $build_log)"

# The leak check ignores one glibc allocation of exiting threads (see the file).
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

mkdir -p "$logs"

# Runs one target; its log is $logs/TARGET.log.
run_one() {
  local t="$1"
  local work="$fuzz_target_dir/corpus/$t"
  local artifacts="$root/fuzz/artifacts/$t/"
  mkdir -p "$work" "$artifacts" "$root/fuzz/corpus/$t"
  local args=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts"
    -rss_limit_mb=4096 -timeout=30 -max_len=16384)
  [ -f "fuzz/dict/$t.dict" ] && args+=(-dict="fuzz/dict/$t.dict")
  nice -n "$niceness" cargo +nightly fuzz run "${build_flags[@]}" "$t" "$work" "fuzz/corpus/$t" -- "${args[@]}" \
    >"$logs/$t.log" 2>&1
  echo $? >"$logs/$t.rc"
}

running=0
for t in "${targets[@]}"; do
  echo "== fuzzing $t for ${seconds}s"
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

report
exit
