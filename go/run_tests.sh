#!/usr/bin/env bash
# Go: build the C library and the emulator, then vet and test the cgo package
# (with the race detector) and build the quick start. Called by `make test-go`.
#
#   COGNITO_IDENTITY_ENDPOINT=http://...  test against an emulator already running
#   GO_TEST_FLAGS="-run TestEveryOperation" extra flags for go test
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

if ! command -v go >/dev/null 2>&1; then
  echo "go/run_tests.sh: the go command is not installed (https://go.dev/dl/, 1.22 or newer)" >&2
  exit 1
fi

# A fresh machine or a CI user with no HOME has no default build cache: keep
# one under target/ then. The package has no third-party dependencies, so the
# module cache and proxy are never needed.
if [ -z "$(go env GOCACHE 2>/dev/null)" ] || [ "$(go env GOCACHE 2>/dev/null)" = "off" ]; then
  export GOCACHE="$root/target/go/cache"
fi
if [ -z "$(go env GOPATH 2>/dev/null)" ]; then
  export GOPATH="$root/target/go/path"
fi
export CGO_ENABLED=1
# The suite links the debug library it has just built (the package's default
# is the release one).
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-tags=cognito_debug"

echo "--- cargo build -p cognito-identity-ffi -p cognito-identity-emulator"
cargo build -p cognito-identity-ffi -p cognito-identity-emulator

for f in include/cognito_identity.h target/debug/libcognito_identity.a target/debug/cognito-identity-emulator; do
  if [ ! -e "$f" ]; then
    echo "go/run_tests.sh: $f is missing after the build" >&2
    exit 1
  fi
done

status=0
run() {
  echo "--- $*"
  "$@" || status=1
}

unformatted="$(cd go && gofmt -l . ; cd "$root/examples/go/quickstart" && gofmt -l .)"
if [ -n "$unformatted" ]; then
  echo "gofmt: these files need formatting:" >&2
  echo "$unformatted" >&2
  status=1
fi

cd "$here"
run go vet ./...
run go test -race -count=1 -v ${GO_TEST_FLAGS:-} ./...

# The aws-sdk-go-v2 adapter: a module of its own (it has the only
# third-party dependency), fetched through the Go module proxy.
cd "$here/awsv2"
run go vet ./...
run go test -race -count=1 -v ${GO_TEST_FLAGS:-} ./...

cd "$root/examples/go/quickstart"
run go vet ./...
rm -f "$root/target/go/quickstart" # go does not see changes to the C library: never reuse
run go build -o "$root/target/go/quickstart" .

if [ "$status" -ne 0 ]; then
  echo "go: FAILED" >&2
else
  echo "go: all checks passed"
fi
exit "$status"
