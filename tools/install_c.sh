#!/usr/bin/env bash
# Installs the C library, its header and a pkg-config file:
#
#   tools/install_c.sh PREFIX [--relocatable]   (make install PREFIX=...; default /usr/local)
#
#   PREFIX/lib/libcognito_identity.so.X.Y.Z   shared library, SONAME libcognito_identity.so.ABI
#   PREFIX/lib/libcognito_identity.so.ABI     -> libcognito_identity.so.X.Y.Z (what programs load)
#   PREFIX/lib/libcognito_identity.so         -> libcognito_identity.so.ABI (what -lcognito_identity finds)
#   PREFIX/lib/libcognito_identity.a          static library (link with -lpthread -ldl -lm too)
#   PREFIX/include/cognito_identity.h
#   PREFIX/lib/pkgconfig/cognito_identity.pc
#
# ABI is the major version, or MAJOR.MINOR while the major version is 0
# (0.1 and 0.2 may differ in ABI), as cargo-c names them. A plain `cargo
# build` leaves an unversioned library in target/ for in-tree use: only an
# installed library carries a SONAME, because a SONAME'd library must sit
# beside its links, which cargo does not make. (The SONAME'd build stays in
# target/ until the next plain `cargo build` of the crate relinks it.)
#
# --relocatable writes a .pc whose prefix is found from the .pc's own place
# (${pcfiledir}), for the release archive that users unpack anywhere.
#
# Builds the release profile (with RUSTFLAGS as given: tools/dist.sh passes
# the PGO profile). COGNITO_IDENTITY_INSTALL_PROFILE=debug installs
# the debug build instead (tests/c/run.sh uses it to check the layout quickly).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${1:-/usr/local}"
relocatable=0
[ "${2:-}" = "--relocatable" ] && relocatable=1
profile="${COGNITO_IDENTITY_INSTALL_PROFILE:-release}"
case "$profile" in
  release) cargo_flags=(--release) ;;
  debug) cargo_flags=() ;;
  *) echo "install_c.sh: COGNITO_IDENTITY_INSTALL_PROFILE must be release or debug" >&2; exit 2 ;;
esac

cd "$root"
version="$(sed -n 's/^#define COGNITO_IDENTITY_VERSION "\(.*\)"$/\1/p' include/cognito_identity.h)"
[ -n "$version" ] || { echo "install_c.sh: no COGNITO_IDENTITY_VERSION in the header" >&2; exit 1; }
IFS=. read -r major minor _ <<<"$version"
if [ "$major" = 0 ]; then abi="$major.$minor"; else abi="$major"; fi
soname="libcognito_identity.so.$abi"

cargo rustc -p cognito-identity-ffi --lib "${cargo_flags[@]}" -- -C "link-arg=-Wl,-soname,$soname"
# CARGO_BUILD_TARGET (cargo's --target; tools/dist.sh sets it for the
# profile-guided build) puts the build under target/<triple>/.
target_dir="${CARGO_TARGET_DIR:-$root/target}/${CARGO_BUILD_TARGET:+$CARGO_BUILD_TARGET/}$profile"

mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
install -d "$prefix/lib/pkgconfig" "$prefix/include"
install -m 0755 "$target_dir/libcognito_identity.so" "$prefix/lib/libcognito_identity.so.$version"
ln -sfn "libcognito_identity.so.$version" "$prefix/lib/$soname"
ln -sfn "$soname" "$prefix/lib/libcognito_identity.so"
install -m 0644 "$target_dir/libcognito_identity.a" "$prefix/lib/"
install -m 0644 include/cognito_identity.h "$prefix/include/"
if [ "$relocatable" = 1 ]; then pc_prefix='${pcfiledir}/../..'; else pc_prefix="$prefix"; fi
cat > "$prefix/lib/pkgconfig/cognito_identity.pc" <<PC
prefix=$pc_prefix
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
echo "installed cognito_identity $version ($profile, SONAME $soname) into $prefix"
