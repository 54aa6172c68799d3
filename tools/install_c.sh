#!/usr/bin/env bash
# Installs the C library, its header and a pkg-config file:
#
#   tools/install_c.sh PREFIX          (make install PREFIX=...; default /usr/local)
#
#   PREFIX/lib/libcognito_identity.so   shared library
#   PREFIX/lib/libcognito_identity.a    static library (link with -lpthread -ldl -lm too)
#   PREFIX/include/cognito_identity.h
#   PREFIX/lib/pkgconfig/cognito_identity.pc
#
# Builds the release profile. COGNITO_IDENTITY_INSTALL_PROFILE=debug installs
# the debug build instead (tests/c/run.sh uses it to check the layout quickly).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${1:-/usr/local}"
profile="${COGNITO_IDENTITY_INSTALL_PROFILE:-release}"
case "$profile" in
  release) cargo_flags=(--release) ;;
  debug) cargo_flags=() ;;
  *) echo "install_c.sh: COGNITO_IDENTITY_INSTALL_PROFILE must be release or debug" >&2; exit 2 ;;
esac

cd "$root"
cargo build -p cognito-identity-ffi "${cargo_flags[@]}"
target_dir="${CARGO_TARGET_DIR:-$root/target}/$profile"
version="$(sed -n 's/^#define COGNITO_IDENTITY_VERSION "\(.*\)"$/\1/p' include/cognito_identity.h)"
[ -n "$version" ] || { echo "install_c.sh: no COGNITO_IDENTITY_VERSION in the header" >&2; exit 1; }

mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
install -d "$prefix/lib/pkgconfig" "$prefix/include"
install -m 0755 "$target_dir/libcognito_identity.so" "$prefix/lib/"
install -m 0644 "$target_dir/libcognito_identity.a" "$prefix/lib/"
install -m 0644 include/cognito_identity.h "$prefix/include/"
cat > "$prefix/lib/pkgconfig/cognito_identity.pc" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: cognito_identity
Description: C API of the cognito-identity client for Amazon Cognito Identity (JSON in, JSON out)
URL: https://github.com/cognito-identity/cognito-identity
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lcognito_identity
Libs.private: -lpthread -ldl -lm
PC
echo "installed cognito_identity $version ($profile) into $prefix"
