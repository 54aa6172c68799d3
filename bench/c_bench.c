/* Ours from C: the generic JSON call of libcognito_identity (release build),
 * one client shared by THREADS threads.
 *
 *   c_bench URL OP THREADS CALLS_PER_THREAD MAX_SECS WARMUP
 * prints {"calls":N,"secs":S,"maxrss_kb":K}. The prototypes are declared here
 * (as documented in include/cognito_identity.h) so that this file builds
 * whether or not the header has been generated yet. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "measure.h"

typedef struct cognito_identity_client cognito_identity_client;
int cognito_identity_client_new(const char *config_json, cognito_identity_client **out, char **out_error);
int cognito_identity_call(const cognito_identity_client *client, const char *operation, const char *input_json,
                          char **out_json);
void cognito_identity_string_free(char *s);
void cognito_identity_client_free(cognito_identity_client *client);

static cognito_identity_client *client;
static const char *op, *expect;
static const char *input = "{\"IdentityPoolId\":\"us-east-1:00000000-0000-0000-0000-000000000000\"}";
static long calls_per_thread;

static void one(void) {
    char *out = NULL;
    int status = cognito_identity_call(client, op, input, &out);
    if (status != 0 || !out || !strstr(out, expect)) {
        fprintf(stderr, "c_bench: call failed (%d): %s\n", status, out ? out : "(null)");
        exit(2);
    }
    cognito_identity_string_free(out);
}

static void *worker(void *arg) {
    long *done = arg, n = 0;
    while (n < calls_per_thread && now() - t0 < max_secs) { one(); n++; }
    *done = n;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 7) { fprintf(stderr, "usage: c_bench URL OP THREADS CALLS MAX_SECS WARMUP\n"); return 2; }
    op = argv[2];
    expect = strcmp(op, "GetId") == 0 ? "IdentityId" : "IdentityPoolName";
    int threads = atoi(argv[3]);
    calls_per_thread = atol(argv[4]);
    max_secs = atof(argv[5]);
    long warmup = atol(argv[6]);
    char config[512], *err = NULL;
    snprintf(config, sizeof config,
             "{\"region\":\"us-east-1\",\"endpoint_url\":\"%s\",\"aws_access_key_id\":\"test\","
             "\"aws_secret_access_key\":\"test\"}", argv[1]);
    if (cognito_identity_client_new(config, &client, &err) != 0) {
        fprintf(stderr, "c_bench: client_new failed: %s\n", err ? err : "(null)");
        return 2;
    }
    for (long i = 0; i < warmup; i++) one();
    int rc = run_and_report(threads, worker);
    cognito_identity_client_free(client);
    return rc;
}
