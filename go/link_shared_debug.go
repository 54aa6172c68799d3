//go:build cognito_shared && !cognito_release && !cognito_external

package cognitoidentity

// -tags cognito_shared: link libcognito_identity.so from target/debug, found at
// run time through an rpath (or LD_LIBRARY_PATH).

/*
#cgo LDFLAGS: -L${SRCDIR}/../target/debug -lcognito_identity -Wl,-rpath,${SRCDIR}/../target/debug
*/
import "C"
