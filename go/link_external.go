//go:build cognito_external

package cognitoidentity

// -tags cognito_external: the package adds no link flags; give them yourself, for
// an installed library for example:
//
//	CGO_CFLAGS="-I/usr/local/include" \
//	CGO_LDFLAGS="/usr/local/lib/libcognito_identity.a -lpthread -ldl -lm -lrt -lutil" go build -tags cognito_external
