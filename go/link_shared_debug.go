//go:build cognito_shared && cognito_debug && !cognito_external

package cognitoidentity

// -tags cognito_shared,cognito_debug: link libcognito_identity.so from
// target/debug, found at run time through an rpath (or LD_LIBRARY_PATH).

/*
#cgo LDFLAGS: -L${SRCDIR}/../target/debug -lcognito_identity -Wl,-rpath,${SRCDIR}/../target/debug
*/
import "C"
