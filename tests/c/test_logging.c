/* The log callback: records for a request, a retry and the credentials
 * source reach the application, never a secret; NULL turns logging off. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANARY "CANARY-TOKEN-C-0123456789"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char records[1 << 16];
static size_t used = 0;
static int count = 0;
static int bad_level = 0;

static void collect(cognito_identity_log_level level, const char *record_json, void *user_data) {
  (void)user_data;
  pthread_mutex_lock(&lock);
  size_t n = strlen(record_json);
  if (used + n + 2 < sizeof records) {
    memcpy(records + used, record_json, n);
    used += n;
    records[used++] = '\n';
    records[used] = '\0';
  }
  count++;
  if (level < COGNITO_IDENTITY_LOG_ERROR || level > COGNITO_IDENTITY_LOG_DEBUG) bad_level++;
  pthread_mutex_unlock(&lock);
}

int main(void) {
  check(cognito_identity_set_log_callback(42, collect, NULL) == COGNITO_IDENTITY_INVALID_ARGUMENT,
        "an unknown level is an invalid argument");
  check(cognito_identity_set_log_callback(COGNITO_IDENTITY_LOG_DEBUG, collect, NULL) == COGNITO_IDENTITY_OK,
        "set_log_callback at DEBUG");

  /* The emulator accepts its key with any session token: the token is the canary. */
  cognito_identity_client *c = new_client("\"aws_session_token\": \"" CANARY "\", \"initial_backoff\": 0.001");
  check(emulator_fault("{\"kind\": \"status\", \"status\": 503, \"operation\": \"ListIdentityPools\"}") == 200,
        "inject a 503");
  cognito_identity_string_free(
      call_ok("ListIdentityPools after a 503", cognito_identity_list_identity_pools, c, "{\"MaxResults\": 1}"));

  pthread_mutex_lock(&lock);
  check(strstr(records, "\"target\":\"cognito_identity::retries\"") != NULL &&
            strstr(records, "retrying ListIdentityPools: ServiceUnavailableException") != NULL,
        "a retry record names the operation and the reason");
  check(strstr(records, "credentials from explicit") != NULL, "a record names the credentials source");
  check(strstr(records, "\"level\":\"DEBUG\"") && strstr(records, "response received"),
        "DEBUG records for the responses");
  check(strstr(records, "CANARY") == NULL, "no record holds the session token");
  check(bad_level == 0, "every level is within DEBUG");
  int seen = count;
  pthread_mutex_unlock(&lock);

  check(cognito_identity_set_log_callback(COGNITO_IDENTITY_LOG_DEBUG, NULL, NULL) == COGNITO_IDENTITY_OK,
        "a NULL callback turns logging off");
  cognito_identity_string_free(call_ok("ListIdentityPools", cognito_identity_list_identity_pools, c, "{\"MaxResults\": 1}"));
  pthread_mutex_lock(&lock);
  check(count == seen, "no record after logging is off (%d, then %d)", seen, count);
  pthread_mutex_unlock(&lock);
  cognito_identity_client_free(c);
  return finish("test_logging");
}
