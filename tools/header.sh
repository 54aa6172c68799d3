#!/usr/bin/env bash
# Generates include/cognito_identity.h from ffi-c/ with cbindgen.
#
#   tools/header.sh write   regenerate the committed header   (make header)
#   tools/header.sh check   fail if the committed header is stale (make header-check)
#
# cbindgen is pinned and installed into target/tools on first use, so this
# works on a fresh machine. The 23 per-operation functions are made by a
# macro, so cbindgen reads the crate after macro expansion; that needs
# `-Zunpretty=expanded`, which a stable toolchain allows with RUSTC_BOOTSTRAP=1
# (set only for cbindgen's own cargo call, in a separate target directory).
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
  cargo install cbindgen --version "$CBINDGEN_VERSION" --locked --root "$root/target/tools" >&2
fi

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
cd "$root"
# A target directory of its own: the expansion is a `check`-profile build with
# different flags, which would otherwise invalidate the shared debug build.
RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$root/target/cbindgen" \
  "$cbindgen" --quiet --config ffi-c/cbindgen.toml --crate cognito-identity-ffi \
  --output "$tmp" ffi-c

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
