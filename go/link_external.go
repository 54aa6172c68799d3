//go:build cognito_external

package cognitoidentity

// -tags cognito_external: the package adds no link flags; give them yourself, for
// an installed library for example:
//
//	CGO_CFLAGS="$(pkg-config --cflags cognito_identity)" \
//	CGO_LDFLAGS="$(pkg-config --libs cognito_identity)" go build -tags cognito_external
