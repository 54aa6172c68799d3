#!/usr/bin/env bash
# The Python suite (make test-python): build the extension into .venv, build
# the emulator, run pytest with warnings as errors, then ruff, mypy --strict
# and stubtest. Every step runs; the exit status is non-zero if any failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash tools/venv.sh || exit 1
py="$root/.venv/bin/python"
export PATH="$root/.venv/bin:$PATH"
unset CONDA_PREFIX  # maturin develop must install into .venv
export VIRTUAL_ENV="$root/.venv"

# The client and, as its "emulator" extra, the emulator distribution.
for manifest in py/Cargo.toml emulator/python/Cargo.toml; do
  echo "--- building $manifest (maturin develop, debug)"
  "$py" -m maturin develop --quiet --manifest-path "$manifest" >/tmp/maturin-develop.$$ 2>&1 \
    || { cat /tmp/maturin-develop.$$; rm -f /tmp/maturin-develop.$$; exit 1; }
  rm -f /tmp/maturin-develop.$$
done
echo "--- building the emulator"
cargo build --quiet -p cognito-identity-emulator || exit 1

failed=()
echo "--- pytest"
"$py" -m pytest -W error -q tests/python "$@" || failed+=(pytest)
echo "--- ruff"
pkgs=(py/python emulator/python/python)
"$py" -m ruff check "${pkgs[@]}" examples/python tests/python tools || failed+=(ruff)
"$py" -m ruff format --check --quiet "${pkgs[@]}" examples/python tests/python tools || failed+=(ruff-format)
echo "--- mypy --strict"
"$py" -m mypy --strict --no-error-summary py/python/cognito_identity emulator/python/python/cognito_identity_emulator \
  examples/python/quickstart.py && echo "mypy: no issues" || failed+=(mypy)
echo "--- stubtest"
"$py" -m mypy.stubtest cognito_identity._native cognito_identity_emulator._native && echo "stubtest: no issues" \
  || failed+=(stubtest)

if [ ${#failed[@]} -gt 0 ]; then
  echo "python suite FAILED: ${failed[*]}"
  exit 1
fi
echo "python suite passed"
