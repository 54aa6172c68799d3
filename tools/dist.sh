#!/usr/bin/env bash
# `make dist`: the release artifacts of this machine's platform (x86_64 Linux),
# written to dist/, then checked the way a user would meet them.
#
#   dist/cognito_identity-V-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
#   dist/cognito_identity-V.tar.gz                       (sdist; pip builds it)
#   dist/cognito_identity_emulator-V-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
#   dist/libcognito_identity-V-x86_64-linux-gnu.tar.gz   (lib/ with SONAME'd .so and .a, include/, pkg-config, LICENSE)
#
# Wheels are linked by zig (maturin --zig, `ziglang` from PyPI) against glibc
# 2.17, so they install on manylinux2014 systems; auditwheel must agree.
# The checks install the wheels into clean venvs of CPython 3.9 and 3.13
# (DIST_PYTHONS="python3.9 python3.13" by default, looked up on PATH and in
# pyenv) and run the quick start there; DIST_SKIP_SDIST_BUILD=1 skips the
# slow check that pip builds the sdist.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/venv.sh
py="$root/.venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check -r tools/requirements-dist.txt
export PATH="$root/.venv/bin:$PATH"
unset CONDA_PREFIX

version="$(sed -n 's/^#define COGNITO_IDENTITY_VERSION "\(.*\)"$/\1/p' include/cognito_identity.h)"
cargo_version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
[ "$version" = "$cargo_version" ] || { echo "dist: header version $version != Cargo.toml $cargo_version (make header)" >&2; exit 1; }
tag=cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64
wheel="dist/cognito_identity-$version-$tag.whl"
emu_wheel="dist/cognito_identity_emulator-$version-$tag.whl"
sdist="dist/cognito_identity-$version.tar.gz"
c_name="libcognito_identity-$version-x86_64-linux-gnu"
c_archive="dist/$c_name.tar.gz"

rm -rf dist
mkdir -p dist
host=x86_64-unknown-linux-gnu
maturin_build=(build --release --zig --compatibility manylinux2014 --target "$host" --out dist --quiet)
# The client wheel and the C library are profile-guided builds (tools/pgo.sh:
# an instrumented build replays tools/pgo/workload.tsv against the emulator);
# PGO=0 builds them without a profile. The emulator wheel is a test tool: plain.
py_flags=""
c_flags=""
if [ "${PGO:-1}" != 0 ]; then
  echo "== PGO profiles (tools/pgo.sh)"
  PGO_PYTHON="$py" bash tools/pgo.sh py target/pgo/py.profdata "${maturin_build[@]:1}"
  py_flags="$(bash tools/pgo.sh flags target/pgo/py.profdata)"
  bash tools/pgo.sh c target/pgo/c.profdata
  c_flags="$(bash tools/pgo.sh flags target/pgo/c.profdata)"
fi
echo "== wheels (maturin --zig, manylinux2014)"
RUSTFLAGS="$py_flags" "$py" -m maturin "${maturin_build[@]}" --manifest-path py/Cargo.toml
"$py" -m maturin "${maturin_build[@]}" --manifest-path emulator/python/Cargo.toml
echo "== sdist"
"$py" -m maturin sdist --out dist --manifest-path py/Cargo.toml
echo "== C archive"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
RUSTFLAGS="$c_flags" CARGO_BUILD_TARGET="$host" bash tools/install_c.sh "$stage/$c_name" --relocatable
cp LICENSE NOTICE "$stage/$c_name/"
tar -C "$stage" -czf "$c_archive" "$c_name"

# maturin writes the legacy tag first (manylinux2014_x86_64.manylinux_2_17_x86_64);
# the file name's tags are a set, named here in auditwheel's order.
for name in cognito_identity cognito_identity_emulator; do
  for built in dist/"$name-$version"-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl; do
    [ -f "$built" ] && mv "$built" "dist/$name-$version-$tag.whl"
  done
done
for f in "$wheel" "$emu_wheel" "$sdist" "$c_archive"; do
  [ -f "$f" ] || { echo "dist: $f was not made; dist/ holds:" >&2; ls dist >&2; exit 1; }
done

echo "== checks"
checks=0
ok() { checks=$((checks + 1)); echo "ok - $*"; }
for w in "$wheel" "$emu_wheel"; do
  shown="$("$py" -m auditwheel show "$w")"
  # auditwheel wraps its text at a width that changes between versions: join the lines first.
  echo "$shown" | tr '\n' ' ' | grep -q 'consistent with the following platform tag: *"manylinux_2_17_x86_64"' \
    || { echo "$shown"; echo "dist: auditwheel does not place $w at manylinux_2_17" >&2; exit 1; }
  ok "auditwheel: $(basename "$w") is manylinux_2_17_x86_64"
done
unzip -l "$wheel" | grep -q 'cognito_identity/py.typed' || { echo "dist: no py.typed in $wheel" >&2; exit 1; }
if unzip -l "$wheel" | grep -q cognito_identity_emulator; then
  echo "dist: the client wheel carries the emulator" >&2
  exit 1
fi
ok "the client wheel holds py.typed and no emulator"

tar -tzf "$c_archive" >"$stage/list"
for f in lib/libcognito_identity.a "lib/libcognito_identity.so.$version" lib/libcognito_identity.so \
  lib/pkgconfig/cognito_identity.pc include/cognito_identity.h LICENSE NOTICE; do
  grep -qx "$c_name/$f" "$stage/list" || { echo "dist: $c_archive lacks $f" >&2; exit 1; }
done
unpacked="$stage/unpacked"
mkdir -p "$unpacked"
tar -C "$unpacked" -xzf "$c_archive"
readelf -d "$unpacked/$c_name/lib/libcognito_identity.so.$version" | grep SONAME
ok "the C archive holds lib/, include/, pkg-config and LICENSE; its .so has a SONAME"
# A program built from the unpacked archive through pkg-config alone (the
# .pc finds its prefix from its own place).
if command -v pkg-config >/dev/null; then
  PKG_CONFIG_PATH="$unpacked/$c_name/lib/pkgconfig" cc -std=c11 -Wall -Werror -o "$stage/c_quick" \
    examples/c/quickstart.c $(PKG_CONFIG_PATH="$unpacked/$c_name/lib/pkgconfig" pkg-config --cflags --libs cognito_identity)
  ok "examples/c/quickstart.c builds against the unpacked archive through pkg-config"
fi
# Go's default link is the release library: it builds with no debug build beside it.
if command -v go >/dev/null; then
  (cd examples/go/quickstart && GOFLAGS= go build -o "$stage/go_quick" .)
  ok "examples/go/quickstart builds with the package's default (release) link"
fi

find_python() {
  local name="$1" p
  # A pyenv shim is on PATH for every installed version but runs only the
  # selected ones: take a command only if it runs.
  if p="$(command -v "$name" 2>/dev/null)" && "$p" -c pass 2>/dev/null; then echo "$p"; return 0; fi
  for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"${name#python}".*/bin/python3; do
    [ -x "$p" ] && { echo "$p"; return 0; }
  done
  return 1
}
# The quick start against the in-process emulator, in a clean venv with the wheels only.
quick='
import sys
from cognito_identity.testing import Emulator
with Emulator() as emu:
    c = emu.client()
    pool = c.create_identity_pool(IdentityPoolName="dist", AllowUnauthenticatedIdentities=True)
    c.set_identity_pool_roles(IdentityPoolId=pool["IdentityPoolId"],
                              Roles={"unauthenticated": "arn:aws:iam::123456789012:role/Guest"})
    iid = c.get_id(IdentityPoolId=pool["IdentityPoolId"])["IdentityId"]
    creds = c.get_credentials_for_identity(IdentityId=iid)["Credentials"]
    assert creds["Expiration"].tzinfo is not None and iid.startswith("us-east-1:")
print("quick start ran on", sys.version.split()[0])
'
no_extra='
import cognito_identity, cognito_identity.testing
try:
    cognito_identity.testing.Emulator()
except ImportError as e:
    assert "pip install \"cognito-identity[emulator]\"" in str(e), e
    print("without the extra:", e)
else:
    raise SystemExit("the emulator should be missing")
'
for name in ${DIST_PYTHONS:-python3.9 python3.13}; do
  interp="$(find_python "$name")" || { echo "dist: $name not found (PATH or pyenv); set DIST_PYTHONS" >&2; exit 1; }
  venv="$stage/venv-$name"
  "$interp" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel"
  "$venv/bin/python" -c "$no_extra"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index --find-links dist \
    "cognito-identity[emulator]==$version"
  "$venv/bin/python" -c "$quick"
  "$venv/bin/cognito-identity-emulator" --help | grep -q -- '--port'
  ok "$name: the wheel imports without the extra, and with the emulator wheel the quick start and the command run"
done

if [ -z "${DIST_SKIP_SDIST_BUILD:-}" ]; then
  venv="$stage/venv-sdist"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$sdist"
  "$venv/bin/python" -c 'import cognito_identity; print("sdist build:", cognito_identity.__version__)'
  ok "pip builds and installs the sdist"
fi

echo
echo "artifacts ($checks checks passed):"
for f in "$wheel" "$emu_wheel" "$sdist" "$c_archive"; do
  printf '  %-90s %s\n' "$f" "$(du -h "$f" | cut -f1)"
done
