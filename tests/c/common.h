/* Helpers shared by the C test programs: checks, JSON field extraction, and
 * the emulator's fault-injection endpoint. */
#ifndef COGNITO_IDENTITY_TEST_COMMON_H
#define COGNITO_IDENTITY_TEST_COMMON_H

#include "cognito_identity.h"

typedef cognito_identity_status (*op_fn)(const cognito_identity_client *, const char *, char **);

/* Records one check: prints "ok - ..." or "not ok - ..." (run.sh counts them). */
void check(int cond, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The emulator URL, from COGNITO_IDENTITY_ENDPOINT (exits if unset). */
const char *endpoint(void);

/* A client for the emulator signing with the test/test key. `extra` is
 * appended to the config object (e.g. "\"max_attempts\": 1") or NULL. */
cognito_identity_client *new_client(const char *extra);

/* The string value of "key" in compact JSON, malloc'd; NULL if absent. */
char *json_string(const char *json, const char *key);

/* Calls `fn` and checks it returned OK; returns the owned output (NULL on failure). */
char *call_ok(const char *what, op_fn fn, const cognito_identity_client *client, const char *input);

/* Checks `status == want` and that `out` is an error document with this
 * code (when `code` is not NULL); frees `out`. */
void expect_error(const char *what, cognito_identity_status status, cognito_identity_status want, char *out,
                  const char *code);

/* POSTs a fault to the emulator's /_emulator/faults; returns the HTTP status or -1. */
int emulator_fault(const char *fault_json);

/* Prints the summary and returns the exit code. */
int finish(const char *program);

#endif
