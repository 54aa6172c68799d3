//go:build !cognito_shared && !cognito_release && !cognito_external

package cognitoidentity

// Default: link the static debug library that `cargo build -p cognito-identity-ffi`
// leaves in target/debug, so `go build` gives a self-contained binary.

/*
#cgo LDFLAGS: ${SRCDIR}/../target/debug/libcognito_identity.a -lpthread -ldl -lm -lrt -lutil
*/
import "C"
