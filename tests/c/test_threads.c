/* 8 threads share one client, mixing signed and unsigned operations. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define CALLS 25

typedef struct {
  const cognito_identity_client *client;
  const char *pool;
  int index;
  int ok;
  char *first_id;
} job;

static void *work(void *arg) {
  job *j = arg;
  char input[256];
  for (int i = 0; i < CALLS; i++) {
    char *out = NULL;
    snprintf(input, sizeof input, "{\"IdentityPoolId\": \"%s\", \"Logins\": {\"graph.facebook.com\": \"user-%d\"}}",
             j->pool, j->index);
    cognito_identity_status s = cognito_identity_get_id(j->client, input, &out);
    if (s == COGNITO_IDENTITY_OK) {
      char *id = json_string(out, "IdentityId");
      if (j->first_id == NULL) {
        j->first_id = id;
        j->ok++;
      } else {
        /* The same login always maps to the same identity. */
        j->ok += id != NULL && strcmp(id, j->first_id) == 0;
        free(id);
      }
    }
    cognito_identity_string_free(out);
    snprintf(input, sizeof input, "{\"IdentityPoolId\": \"%s\"}", j->pool);
    s = cognito_identity_call(j->client, "DescribeIdentityPool", input, &out);
    j->ok += s == COGNITO_IDENTITY_OK;
    cognito_identity_string_free(out);
  }
  return NULL;
}

int main(void) {
  cognito_identity_client *c = new_client(NULL);
  char *out = NULL;
  cognito_identity_status s = cognito_identity_create_identity_pool(
      c,
      "{\"IdentityPoolName\": \"threads\", \"AllowUnauthenticatedIdentities\": false,"
      " \"SupportedLoginProviders\": {\"graph.facebook.com\": \"1\"}}",
      &out);
  char *pool = s == COGNITO_IDENTITY_OK ? json_string(out, "IdentityPoolId") : NULL;
  check(pool != NULL, "CreateIdentityPool for the threads");
  cognito_identity_string_free(out);
  if (pool == NULL) {
    cognito_identity_client_free(c);
    return finish("test_threads");
  }

  pthread_t threads[THREADS];
  job jobs[THREADS];
  for (int i = 0; i < THREADS; i++) {
    jobs[i] = (job){.client = c, .pool = pool, .index = i, .ok = 0, .first_id = NULL};
    check(pthread_create(&threads[i], NULL, work, &jobs[i]) == 0, "start thread %d", i);
  }
  for (int i = 0; i < THREADS; i++) {
    pthread_join(threads[i], NULL);
  }
  for (int i = 0; i < THREADS; i++) {
    check(jobs[i].ok == 2 * CALLS, "thread %d: %d of %d calls succeeded", i, jobs[i].ok, 2 * CALLS);
    for (int k = 0; k < i; k++) {
      if (jobs[i].first_id && jobs[k].first_id && strcmp(jobs[i].first_id, jobs[k].first_id) == 0) {
        check(0, "threads %d and %d got distinct identities", k, i);
      }
    }
  }
  for (int i = 0; i < THREADS; i++) {
    free(jobs[i].first_id);
  }
  free(pool);
  cognito_identity_client_free(c);
  return finish("test_threads");
}
