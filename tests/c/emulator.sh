# Sourced by tests/c/run.sh and tests/c/tsan.sh: starts the emulator built at
# $1 in the background, writing to $work, and sets `emulator_pid` and `url`
# (empty when it did not start; its stderr is then in $work/emulator.err).
# The caller's EXIT trap stops it (`stop_emulator`).

start_emulator() {
  "$1" --port 0 >"$work/emulator.out" 2>"$work/emulator.err" &
  emulator_pid=$!
  url=""
  for _ in $(seq 100); do
    url="$(sed -n 's/^cognito-identity-emulator listening on //p' "$work/emulator.out" | head -1)"
    [ -n "$url" ] && return 0
    kill -0 "$emulator_pid" 2>/dev/null || break
    sleep 0.1
  done
  return 1
}

stop_emulator() {
  if [ -n "${emulator_pid:-}" ]; then
    kill "$emulator_pid" 2>/dev/null
    wait "$emulator_pid" 2>/dev/null
  fi
}
