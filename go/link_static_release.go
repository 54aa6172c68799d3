//go:build !cognito_shared && !cognito_debug && !cognito_external

package cognitoidentity

// Default: link the static release library of `cargo build --release -p
// cognito-identity-ffi`, so `go build` gives a self-contained, optimised binary.

/*
#cgo LDFLAGS: ${SRCDIR}/../target/release/libcognito_identity.a -lpthread -ldl -lm -lrt -lutil
*/
import "C"
