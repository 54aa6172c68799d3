// The C side of IdentityPoolConfig.LoginTokens: a function of the C callback
// type that calls the Go function exported as goLoginsCallback. It lives in
// its own file because cgo forbids definitions in the preamble of a file
// that exports Go functions.
#include "cognito_identity.h"
#include "_cgo_export.h"

const char *cognito_go_logins_trampoline(void *user_data) { return goLoginsCallback(user_data); }
