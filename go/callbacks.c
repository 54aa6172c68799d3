// The C side of the Go callbacks: functions of the C ABI's callback types
// that call the Go functions exported as goLoginsCallback (the logins of
// IdentityPoolConfig.LoginTokens) and goLogCallback (SetLogger). They live in
// their own file because cgo forbids definitions in the preamble of a file
// that exports Go functions.
#include "cognito_identity.h"
#include "_cgo_export.h"

const char *cognito_go_logins_trampoline(void *user_data) { return goLoginsCallback(user_data); }

void cognito_go_log_trampoline(cognito_identity_log_level level, const char *record_json, void *user_data) {
  goLogCallback(level, (char *)record_json, user_data);
}
