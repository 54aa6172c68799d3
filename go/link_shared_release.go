//go:build cognito_shared && !cognito_debug && !cognito_external

package cognitoidentity

// -tags cognito_shared: link libcognito_identity.so from target/release, found
// at run time through an rpath (or LD_LIBRARY_PATH).

/*
#cgo LDFLAGS: -L${SRCDIR}/../target/release -lcognito_identity -Wl,-rpath,${SRCDIR}/../target/release
*/
import "C"
