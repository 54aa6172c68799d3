#!/usr/bin/env bash
# Generates include/cognito_identity.h from ffi-c/ with cbindgen.
#
#   tools/header.sh write   regenerate the committed header   (make header)
#   tools/header.sh check   fail if the committed header is stale (make header-check)
#
# cbindgen is pinned and installed into target/tools on first use, so this
# works on a fresh machine. The 23 per-operation functions are plain source
# (ffi-c/src/operations_gen.rs, written by tools/gen_ffi_ops.py), so cbindgen
# reads the crate as it is, with no macro expansion.
set -euo pipefail

CBINDGEN_VERSION=0.29.4
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
header="$root/include/cognito_identity.h"
mode="${1:-}"
case "$mode" in
  write|check) ;;
  *) echo "usage: $0 write|check" >&2; exit 2 ;;
esac

cbindgen="$root/target/tools/bin/cbindgen"
if ! [ -x "$cbindgen" ] || ! "$cbindgen" --version | grep -qF "$CBINDGEN_VERSION"; then
  echo "header.sh: installing cbindgen $CBINDGEN_VERSION into target/tools" >&2
  # A debug build: a check takes 0.4 s with it, and a fresh clone's `make
  # test` builds it in 37 s instead of 98 (2 idle cores).
  cargo install cbindgen --version "$CBINDGEN_VERSION" --locked --debug --root "$root/target/tools" >&2
fi

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
cd "$root"
(cd ffi-c && "$cbindgen" --quiet --config cbindgen.toml --output "$tmp")

if [ "$mode" = write ]; then
  mkdir -p "$(dirname "$header")"
  if cmp -s "$tmp" "$header"; then
    echo "include/cognito_identity.h is up to date"
  else
    cp "$tmp" "$header"
    echo "wrote include/cognito_identity.h"
  fi
else
  if ! diff -u "$header" "$tmp"; then
    echo "include/cognito_identity.h is stale: run 'make header' and commit it" >&2
    exit 1
  fi
  echo "include/cognito_identity.h is up to date"
fi
