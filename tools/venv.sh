#!/usr/bin/env bash
# Creates .venv with the machine's python3 (if missing) and installs the
# development requirements. Idempotent and quiet: a stamp file newer than the
# requirements file means there is nothing to do.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
reqs="$root/tools/requirements-dev.txt"
stamp="$venv/.requirements-dev.stamp"

if [ ! -x "$venv/bin/python" ]; then
  echo "creating $venv"
  python3 -m venv "$venv"
fi
if [ -f "$stamp" ] && [ "$stamp" -nt "$reqs" ]; then
  exit 0
fi
echo "installing tools/requirements-dev.txt into .venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$reqs"
touch "$stamp"
