/* The split call: cognito_identity_call_start writes the request and hands
 * back the connection's descriptor, the caller waits for it (here with
 * poll(2)), cognito_identity_call_finish reads what has arrived (and is
 * called again after another wait until the answer is all there). Also: abandoning
 * a call, errors before the wait, a bound that expires during the wait, and
 * the argument checks; cognito_identity_call_step through a retry. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
  cognito_identity_status status;
  char *out;
  int split;     /* the call waited in poll(2), not in the library */
  int readable;  /* poll(2) said readable before the wait was over */
  uint64_t connection;
} outcome;

/* start, poll(2) for at most the wait the library gives, finish. */
static outcome split_call(const cognito_identity_client *c, const char *op, const char *input, uint64_t timeout_ms) {
  outcome r = {COGNITO_IDENTITY_OK, NULL, 0, 0, 0};
  cognito_identity_pending *pending = NULL;
  cognito_identity_wait w = {-2, 99, 99, 99};
  r.status = cognito_identity_call_start(c, op, input, timeout_ms, &pending, &w, &r.out);
  if (pending == NULL) {
    check(w.fd == -1 && w.connection == 0 && w.wait_ms == 0 && r.out != NULL,
          "%s: a call that ran to its end leaves {-1, 0, 0} and a document", op);
    return r;
  }
  r.split = 1;
  r.connection = w.connection;
  check(r.status == COGNITO_IDENTITY_OK && r.out == NULL && w.fd >= 0 && w.connection != 0 && w.wait_ms > 0,
        "%s: a pending call gives OK, no document yet, a descriptor, a connection and a wait (%llu ms)", op,
        (unsigned long long)w.wait_ms);
  /* Wait, finish; again while more of the answer is to come, within the
   * first wait's limit. */
  double until = now_s() + (double)w.wait_ms / 1000.0;
  for (int waits = 0; pending != NULL; waits++) {
    double left_ms = (until - now_s()) * 1000.0;
    struct pollfd p = {.fd = w.fd, .events = POLLIN, .revents = 0};
    int n = poll(&p, 1, left_ms <= 0 ? 0 : left_ms > 60000 ? 60000 : (int)left_ms + 1);
    if (waits == 0) {
      r.readable = n == 1 && (p.revents & POLLIN) != 0;
    }
    r.status = cognito_identity_call_finish(&pending, &r.out);
    check(pending != NULL || r.out != NULL, "%s: finish either keeps the call pending or gives a document", op);
    if (waits > 1000) {
      check(0, "%s: finished within 1000 waits", op);
      cognito_identity_pending_free(pending);
      break;
    }
  }
  return r;
}

int main(void) {
  cognito_identity_client *c = new_client("\"max_attempts\": 1");
  char *out = NULL;
  cognito_identity_status s = cognito_identity_create_identity_pool(
      c, "{\"IdentityPoolName\": \"split\", \"AllowUnauthenticatedIdentities\": true}", &out);
  char *pool = s == COGNITO_IDENTITY_OK ? json_string(out, "IdentityPoolId") : NULL;
  check(pool != NULL, "CreateIdentityPool for the split calls");
  cognito_identity_string_free(out);
  if (pool == NULL) {
    cognito_identity_client_free(c);
    return finish("test_split_call");
  }
  char input[256];
  snprintf(input, sizeof input, "{\"IdentityPoolId\": \"%s\"}", pool);

  /* Several in a row: the connection goes back to the pool and is reused. */
  uint64_t first_connection = 0;
  for (int i = 0; i < 3; i++) {
    outcome r = split_call(c, "DescribeIdentityPool", input, 0);
    if (i == 0) {
      first_connection = r.connection;
    } else {
      check(r.connection == first_connection, "DescribeIdentityPool #%d reuses the connection", i + 1);
    }
    char *name = r.out != NULL ? json_string(r.out, "IdentityPoolName") : NULL;
    check(r.split && r.readable, "DescribeIdentityPool #%d waited in poll(2) until readable", i + 1);
    check(r.status == COGNITO_IDENTITY_OK && name != NULL && strcmp(name, "split") == 0 &&
              strstr(r.out, "\"HTTPStatusCode\":200") != NULL,
          "DescribeIdentityPool #%d: the result and ResponseMetadata, as cognito_identity_call gives them", i + 1);
    free(name);
    cognito_identity_string_free(r.out);
  }

  /* A service error comes out of finish as from cognito_identity_call. */
  outcome r = split_call(c, "DescribeIdentityPool", "{\"IdentityPoolId\": \"us-east-1:00000000-0000-0000-0000-00000000dead\"}", 0);
  check(r.split, "a call that the service refuses still waits in poll(2)");
  expect_error("split call, service error", r.status, COGNITO_IDENTITY_SERVICE, r.out, "ResourceNotFoundException");

  /* Failures before the request goes out come back from start itself. */
  r = split_call(c, "NoSuchOperation", "{}", 0);
  check(!r.split, "an unknown operation is not split");
  expect_error("split call, unknown operation", r.status, COGNITO_IDENTITY_UNKNOWN_OPERATION, r.out,
               "OperationNotFoundError");
  r = split_call(c, "GetId", "{\"IdentityPoolId\": \"bad\"}", 0);
  expect_error("split call, invalid input", r.status, COGNITO_IDENTITY_VALIDATION, r.out, "ParamValidationError");

  /* The call's bound expires while the caller waits: finish says so at once. */
  check(emulator_fault("{\"kind\": \"delay\", \"count\": 1, \"operation\": \"ListIdentityPools\", \"delay_ms\": 3000}") ==
            200,
        "inject a delay fault");
  double t0 = now_s();
  r = split_call(c, "ListIdentityPools", "{\"MaxResults\": 1}", 300);
  double took = now_s() - t0;
  check(r.split && !r.readable, "a 3 s delay with a 300 ms bound: the wait ends unreadable");
  check(took < 2.0, "the bound ended the call after %.2f s", took);
  expect_error("split call, bound expired during the wait", r.status, COGNITO_IDENTITY_TIMEOUT, r.out,
               "DeadlineExceededError");

  /* Abandoned: the connection is closed (and listed as closed), the next
   * call goes on a new one. */
  check(emulator_fault("{\"kind\": \"delay\", \"count\": 1, \"operation\": \"GetId\", \"delay_ms\": 2000}") == 200,
        "inject a delay fault for the abandoned call");
  uint64_t ids[4] = {0, 0, 0, 0};
  while (cognito_identity_client_closed_connections(c, ids, 4) > 0) {
  }
  cognito_identity_pending *pending = NULL;
  cognito_identity_wait w;
  snprintf(input, sizeof input, "{\"IdentityPoolId\": \"%s\"}", pool);
  t0 = now_s();
  s = cognito_identity_call_start(c, "GetId", input, 0, &pending, &w, &out);
  check(s == COGNITO_IDENTITY_OK && pending != NULL, "the delayed GetId is pending");
  uint64_t abandoned = w.connection;
  cognito_identity_pending_free(pending);
  cognito_identity_wait after;
  s = cognito_identity_call_start(c, "NoSuchOperation", "{}", 0, &pending, &after, &out);
  check(pending == NULL && after.closed == 1, "the next start counts one closed connection (%llu)",
        (unsigned long long)after.closed);
  cognito_identity_string_free(out);
  size_t n = cognito_identity_client_closed_connections(c, ids, 4);
  check(n == 1 && ids[0] == abandoned, "the abandoned call's connection is listed as closed (%zu ids)", n);
  check(cognito_identity_client_closed_connections(c, ids, 4) == 0, "and only once");
  r = split_call(c, "DescribeIdentityPool", input, 0);
  took = now_s() - t0;
  check(r.status == COGNITO_IDENTITY_OK && took < 1.5, "after abandoning a call the next one answers (%.2f s)", took);
  check(r.connection != abandoned, "on another connection");
  cognito_identity_string_free(r.out);
  check(cognito_identity_client_closed_connections(NULL, ids, 4) == 0 &&
            cognito_identity_client_closed_connections(c, NULL, 4) == 0,
        "closed_connections with a NULL client or array gives 0");

  /* cognito_identity_call_step: a retry's backoff is the caller's wait too
   * (fd -1, a timer), and the next attempt is waited for as the first. */
  cognito_identity_client *retrying = new_client("\"max_attempts\": 3, \"initial_backoff\": 0.05");
  check(emulator_fault("{\"kind\": \"status\", \"count\": 1, \"operation\": \"DescribeIdentityPool\", "
                       "\"status\": 503}") == 200,
        "inject a 503 for the stepped call");
  s = cognito_identity_call_start(retrying, "DescribeIdentityPool", input, 0, &pending, &w, &out);
  check(s == COGNITO_IDENTITY_OK && pending != NULL, "the stepped call is pending");
  int backoffs = 0, reads = 0;
  while (pending != NULL && backoffs + reads < 1000) {
    if (w.fd < 0) {
      backoffs++;
      check(w.connection == 0 && w.wait_ms >= 1 && w.wait_ms <= 50, "waiting to retry: no connection, at most the base's wait (%llu ms)",
            (unsigned long long)w.wait_ms);
      struct timespec pause = {.tv_sec = 0, .tv_nsec = (long)w.wait_ms * 1000000L};
      nanosleep(&pause, NULL);
    } else {
      reads++;
      struct pollfd p = {.fd = w.fd, .events = POLLIN, .revents = 0};
      poll(&p, 1, (int)(w.wait_ms > 60000 ? 60000 : w.wait_ms));
    }
    s = cognito_identity_call_step(&pending, &w, &out);
  }
  check(pending == NULL && w.fd == -1 && w.connection == 0, "the stepped call ended, with nothing left to wait on");
  check(s == COGNITO_IDENTITY_OK && out != NULL && strstr(out, "\"RetryAttempts\":1") != NULL,
        "after one 503, the result with RetryAttempts 1");
  check(backoffs == 1 && reads <= 2, "one backoff between two attempts (%d backoffs, %d reads)", backoffs, reads);
  cognito_identity_string_free(out);
  out = NULL;
  s = cognito_identity_call_step(NULL, &w, &out);
  expect_error("step(NULL)", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, NULL);
  s = cognito_identity_call_start(retrying, "DescribeIdentityPool", input, 0, &pending, &w, &out);
  check(s == COGNITO_IDENTITY_OK && pending != NULL, "start before a step with NULL out_wait");
  s = cognito_identity_call_step(&pending, NULL, &out);
  check(pending == NULL, "step with NULL out_wait frees the call");
  expect_error("step with NULL out_wait", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, NULL);
  cognito_identity_client_free(retrying);

  /* Argument checks. */
  s = cognito_identity_call_start(c, "GetId", input, 0, NULL, &w, &out);
  expect_error("start with NULL out_pending", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, NULL);
  s = cognito_identity_call_start(c, "GetId", input, 0, &pending, NULL, &out);
  check(pending == NULL, "start with NULL out_wait leaves *out_pending NULL");
  expect_error("start with NULL out_wait", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, NULL);
  s = cognito_identity_call_start(NULL, "GetId", input, 0, &pending, &w, &out);
  expect_error("start with a NULL client", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, NULL);
  s = cognito_identity_call_start(c, "GetId", input, 0, &pending, &w, NULL);
  check(s == COGNITO_IDENTITY_INVALID_ARGUMENT && pending == NULL, "start with NULL out_json runs nothing");
  s = cognito_identity_call_finish(NULL, &out);
  expect_error("finish(NULL)", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, NULL);
  pending = NULL;
  s = cognito_identity_call_finish(&pending, &out);
  expect_error("finish(&NULL)", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, NULL);
  cognito_identity_pending_free(NULL);
  /* finish with NULL out_json still frees the pending call (valgrind and
   * LeakSanitizer would see it lost otherwise). */
  s = cognito_identity_call_start(c, "DescribeIdentityPool", input, 0, &pending, &w, &out);
  check(s == COGNITO_IDENTITY_OK && pending != NULL, "start before a finish with NULL out_json");
  s = cognito_identity_call_finish(&pending, NULL);
  check(s == COGNITO_IDENTITY_INVALID_ARGUMENT && pending == NULL,
        "finish with NULL out_json -> INVALID_ARGUMENT, the call freed");

  free(pool);
  cognito_identity_client_free(c);
  return finish("test_split_call");
}
