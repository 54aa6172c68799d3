//go:build !cognito_shared && cognito_debug && !cognito_external

package cognitoidentity

// -tags cognito_debug: link the static debug library that `cargo build -p
// cognito-identity-ffi` leaves in target/debug (the test suite uses it).

/*
#cgo LDFLAGS: ${SRCDIR}/../target/debug/libcognito_identity.a -lpthread -ldl -lm -lrt -lutil
*/
import "C"
