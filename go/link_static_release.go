//go:build !cognito_shared && cognito_release && !cognito_external

package cognitoidentity

// -tags cognito_release: link the static library of `cargo build --release -p cognito-identity-ffi`.

/*
#cgo LDFLAGS: ${SRCDIR}/../target/release/libcognito_identity.a -lpthread -ldl -lm -lrt -lutil
*/
import "C"
