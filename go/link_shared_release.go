//go:build cognito_shared && cognito_release && !cognito_external

package cognitoidentity

// -tags cognito_shared,cognito_release: link libcognito_identity.so from target/release.

/*
#cgo LDFLAGS: -L${SRCDIR}/../target/release -lcognito_identity -Wl,-rpath,${SRCDIR}/../target/release
*/
import "C"
