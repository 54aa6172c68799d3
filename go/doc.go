// Package cognitoidentity is a client for the Amazon Cognito Identity API
// (2014-06-30) built on the project's Rust core through its C ABI (cgo).
//
// It validates, signs, retries and reports errors exactly as the C and Python
// front doors do:
//
//	client, err := cognitoidentity.New(cognitoidentity.Config{Region: "us-east-1"})
//	if err != nil { ... }
//	defer client.Close()
//	out, err := client.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: poolID})
//	var e *cognitoidentity.Error
//	if errors.As(err, &e) && e.Code == cognitoidentity.ErrCodeNotAuthorized { ... }
//
// By default the package links target/release/libcognito_identity.a statically;
// build tags cognito_debug, cognito_shared and cognito_external choose the
// debug build, the shared library, or flags of your own (see README.md).
//
// A Client is safe for concurrent use. A context's deadline bounds a call,
// retries included, and cancelling the context returns at once.
package cognitoidentity
