/* Every status the API returns, each with its error document, and the
 * boundary's handling of NULL, invalid UTF-8, invalid JSON and huge input. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NO_POOL "{\"IdentityPoolId\": \"us-east-1:00000000-0000-0000-0000-000000000000\"}"

static cognito_identity_status call(const cognito_identity_client *c, const char *op, const char *input,
                                    char **out) {
  *out = NULL;
  return cognito_identity_call(c, op, input, out);
}

/* Creates a client from `config`, expecting failure with `want`; checks the document. */
static void bad_config(const char *what, const char *config, cognito_identity_status want, const char *must_name) {
  cognito_identity_client *client = (cognito_identity_client *)&client; /* must be overwritten with NULL */
  char *error = NULL;
  cognito_identity_status s = cognito_identity_client_new(config, &client, &error);
  check(client == NULL, "%s: *out is NULL on failure", what);
  if (must_name != NULL) {
    check(error != NULL && strstr(error, must_name) != NULL, "%s: the error names %s", what, must_name);
  }
  check(error == NULL || strstr(error, "SECRETVALUE") == NULL, "%s: no secret in the error", what);
  expect_error(what, s, want, error, NULL);
}

/* A local TCP port with nothing listening on it. */
static int closed_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 1;
  if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
      getsockname(fd, (struct sockaddr *)&addr, &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  if (fd >= 0) {
    close(fd);
  }
  return port;
}

static void configuration_and_credentials(void) {
  bad_config("client_new with an unknown key", "{\"regoin\": \"us-east-1\"}", COGNITO_IDENTITY_CONFIGURATION,
             "regoin");
  bad_config("client_new with a wrong type", "{\"max_attempts\": \"three\"}", COGNITO_IDENTITY_CONFIGURATION,
             "max_attempts");
  bad_config("client_new with a bad region",
             "{\"region\": \"not a region!\", \"aws_access_key_id\": \"AKID\","
             " \"aws_secret_access_key\": \"SECRETVALUE\"}",
             COGNITO_IDENTITY_CONFIGURATION, NULL);
  bad_config("client_new with a proxy for scheme ftp", "{\"proxies\": {\"ftp\": \"http://127.0.0.1:1\"}}",
             COGNITO_IDENTITY_CONFIGURATION, "proxies.ftp");
  bad_config("client_new with a proxy that is not a string", "{\"proxies\": {\"http\": 8080}}",
             COGNITO_IDENTITY_CONFIGURATION, "proxies.http");
  bad_config("client_new with verify not a boolean", "{\"verify\": \"no\"}", COGNITO_IDENTITY_CONFIGURATION,
             "verify");
  bad_config("client_new with invalid JSON", "{\"region\":", COGNITO_IDENTITY_INVALID_ARGUMENT, "config_json");
  bad_config("client_new with a JSON array", "[]", COGNITO_IDENTITY_INVALID_ARGUMENT, "config_json");
  bad_config("client_new with invalid UTF-8", "{\"region\": \"\xc3\x28\"}", COGNITO_IDENTITY_INVALID_ARGUMENT,
             "UTF-8");

  char *error = NULL;
  cognito_identity_status s = cognito_identity_client_new("{}", NULL, &error);
  expect_error("client_new with a NULL out", s, COGNITO_IDENTITY_INVALID_ARGUMENT, error, "InvalidArgumentError");
  s = cognito_identity_client_new("{\"bogus\": 1}", NULL, NULL);
  check(s == COGNITO_IDENTITY_INVALID_ARGUMENT, "client_new with NULL out and NULL out_error");

  /* NULL and "{}" mean the defaults (run.sh sets AWS_REGION and an empty HOME). */
  const char *defaults[] = {NULL, "{}"};
  for (int i = 0; i < 2; i++) {
    cognito_identity_client *client = NULL;
    error = NULL;
    s = cognito_identity_client_new(defaults[i], &client, &error);
    check(s == COGNITO_IDENTITY_OK && client != NULL && error == NULL, "client_new(%s) uses the defaults: %s",
          defaults[i] ? "\"{}\"" : "NULL", error ? error : "ok");
    cognito_identity_string_free(error);
    cognito_identity_client_free(client);
  }

  /* The emulator as an HTTP proxy: it takes absolute-form requests, so a host
   * nobody can resolve is reached through it, and only through it. */
  char config[512];
  snprintf(config, sizeof config,
           "{\"region\": \"us-east-1\", \"endpoint_url\": \"http://cognito-identity.test\", \"proxies\": {\"http\": "
           "\"%s\"}, \"aws_access_key_id\": \"test\", \"aws_secret_access_key\": \"test\", \"max_attempts\": 1}",
           endpoint());
  cognito_identity_client *proxied = NULL;
  s = cognito_identity_client_new(config, &proxied, NULL);
  check(s == COGNITO_IDENTITY_OK && proxied != NULL, "client_new with proxies");
  if (proxied != NULL) {
    cognito_identity_string_free(call_ok("a call through the configured proxy", cognito_identity_list_identity_pools, proxied,
                 "{\"MaxResults\": 1}"));
    cognito_identity_client_free(proxied);
  }

  /* A signed operation on a client without credentials. */
  snprintf(config, sizeof config, "{\"region\": \"us-east-1\", \"endpoint_url\": \"%s\", \"unsigned\": true}",
           endpoint());
  cognito_identity_client *unsigned_client = NULL;
  s = cognito_identity_client_new(config, &unsigned_client, NULL);
  check(s == COGNITO_IDENTITY_OK, "client_new(unsigned)");
  if (unsigned_client != NULL) {
    char *out = NULL;
    s = cognito_identity_list_identity_pools(unsigned_client, "{\"MaxResults\": 1}", &out);
    expect_error("signed op without credentials", s, COGNITO_IDENTITY_CREDENTIALS, out, "NoCredentialsError");
    cognito_identity_client_free(unsigned_client);
  }
}

static void invalid_arguments(const cognito_identity_client *c) {
  char *out = NULL;
  cognito_identity_status s = call(NULL, "GetId", NO_POOL, &out);
  check(out != NULL && strstr(out, "client") != NULL, "NULL client: the message names the argument");
  expect_error("NULL client", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, "InvalidArgumentError");

  s = call(c, NULL, NO_POOL, &out);
  check(out != NULL && strstr(out, "operation") != NULL, "NULL operation: the message names the argument");
  expect_error("NULL operation", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, "InvalidArgumentError");

  s = cognito_identity_get_id(NULL, NO_POOL, &out);
  expect_error("NULL client (per-operation function)", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out,
               "InvalidArgumentError");

  s = cognito_identity_call(c, "GetId", NO_POOL, NULL);
  check(s == COGNITO_IDENTITY_INVALID_ARGUMENT, "NULL out_json -> status %d", (int)s);
  s = cognito_identity_describe_identity_pool(c, NO_POOL, NULL);
  check(s == COGNITO_IDENTITY_INVALID_ARGUMENT, "NULL out_json (per-operation function) -> status %d", (int)s);

  /* NULL input means "{}": ListIdentityPools then misses its required MaxResults. */
  s = call(c, "ListIdentityPools", NULL, &out);
  check(out != NULL && strstr(out, "MaxResults") != NULL, "NULL input is {}: the error names MaxResults");
  expect_error("NULL input", s, COGNITO_IDENTITY_VALIDATION, out, "ParamValidationError");

  s = call(c, "GetId", "{\"IdentityPoolId\": \"us-east-1:\xff\xfe\"}", &out);
  check(out != NULL && strstr(out, "input_json") != NULL, "invalid UTF-8: the message names input_json");
  expect_error("invalid UTF-8 input", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, "InvalidArgumentError");
  s = call(c, "Get\xc0Id", NO_POOL, &out);
  expect_error("invalid UTF-8 operation", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, "InvalidArgumentError");

  const char *not_objects[] = {"{\"IdentityPoolId\": ", "[]", "[{\"IdentityPoolId\": \"x\"}]", "null", "42",
                               "\"text\"", "", "{} {}"};
  for (size_t i = 0; i < sizeof not_objects / sizeof *not_objects; i++) {
    s = call(c, "GetId", not_objects[i], &out);
    char what[96];
    snprintf(what, sizeof what, "input %.40s", not_objects[i]);
    expect_error(what, s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, "InvalidArgumentError");
  }

  /* Over the 1 MiB limit. */
  size_t big = COGNITO_IDENTITY_MAX_INPUT_BYTES + 64;
  char *huge = malloc(big + 1);
  if (huge != NULL) {
    memset(huge, 'x', big);
    memcpy(huge, "{\"IdentityPoolId\": \"", 20);
    memcpy(huge + big - 2, "\"}", 2);
    huge[big] = '\0';
    s = call(c, "GetId", huge, &out);
    expect_error("input over 1 MiB", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, "InvalidArgumentError");
    free(huge);
  }

  /* 100000 levels of nesting: refused, not a stack overflow. */
  size_t depth = 100000;
  char *deep = malloc(2 * depth + 32);
  if (deep != NULL) {
    char *p = deep;
    p += sprintf(p, "{\"Logins\": ");
    memset(p, '[', depth);
    p += depth;
    memset(p, ']', depth);
    p += depth;
    strcpy(p, "}");
    s = call(c, "GetId", deep, &out);
    check(out != NULL && strstr(out, "nested") != NULL, "deep input: the message says it is nested too deeply");
    expect_error("input nested 100000 levels", s, COGNITO_IDENTITY_INVALID_ARGUMENT, out, "InvalidArgumentError");
    free(deep);
  }

  cognito_identity_string_free(NULL);
  cognito_identity_client_free(NULL);
  check(1, "string_free(NULL) and client_free(NULL) are no-ops");
}

static void model_and_service(const cognito_identity_client *c) {
  char *out = NULL;
  cognito_identity_status s = call(c, "NoSuchOperation", "{}", &out);
  expect_error("unknown operation", s, COGNITO_IDENTITY_UNKNOWN_OPERATION, out, "OperationNotFoundError");
  s = call(c, "get_id", NO_POOL, &out);
  expect_error("snake_case operation name", s, COGNITO_IDENTITY_UNKNOWN_OPERATION, out, "OperationNotFoundError");

  s = call(c, "GetId", "{\"IdentityPoolId\": \"not-a-pool-id\"}", &out);
  expect_error("pattern violation", s, COGNITO_IDENTITY_VALIDATION, out, "ParamValidationError");
  s = cognito_identity_get_id(c, "{}", &out);
  expect_error("missing required member", s, COGNITO_IDENTITY_VALIDATION, out, "ParamValidationError");
  s = cognito_identity_list_identity_pools(c, "{\"MaxResults\": 0}", &out);
  expect_error("number under its minimum", s, COGNITO_IDENTITY_VALIDATION, out, "ParamValidationError");

  s = cognito_identity_describe_identity_pool(c, NO_POOL, &out);
  check(out != NULL && strstr(out, "\"HTTPStatusCode\":400") != NULL && strstr(out, "\"Type\":\"Sender\"") != NULL,
        "service error document has HTTPStatusCode 400 and Type Sender");
  expect_error("service error", s, COGNITO_IDENTITY_SERVICE, out, "ResourceNotFoundException");
}

static void faults(void) {
  /* No retries, so one injected fault is one failed call. */
  cognito_identity_client *c = new_client("\"max_attempts\": 1");
  char *out = NULL;

  check(emulator_fault("{\"kind\": \"delay\", \"count\": 1, \"operation\": \"ListIdentityPools\", \"delay_ms\": 3000}") ==
            200,
        "inject a delay fault");
  cognito_identity_status s =
      cognito_identity_call_with_timeout(c, "ListIdentityPools", "{\"MaxResults\": 1}", 300, &out);
  expect_error("call_with_timeout(300 ms) on a 3 s delay", s, COGNITO_IDENTITY_TIMEOUT, out,
               "DeadlineExceededError");
  s = cognito_identity_call_with_timeout(c, "ListIdentityPools", "{\"MaxResults\": 1}", 10000, &out);
  check(s == COGNITO_IDENTITY_OK, "call_with_timeout(10 s) without a fault -> status %d", (int)s);
  cognito_identity_string_free(out);

  check(emulator_fault("{\"kind\": \"malformed\", \"count\": 1, \"operation\": \"ListIdentityPools\"}") == 200,
        "inject a malformed-body fault");
  s = cognito_identity_list_identity_pools(c, "{\"MaxResults\": 1}", &out);
  expect_error("malformed response body", s, COGNITO_IDENTITY_INVALID_RESPONSE, out, "ResponseParserError");

  check(emulator_fault("{\"kind\": \"status\", \"count\": 1, \"operation\": \"ListIdentityPools\", \"status\": 503}") ==
            200,
        "inject a 503 fault");
  s = cognito_identity_list_identity_pools(c, "{\"MaxResults\": 1}", &out);
  check(out != NULL && strstr(out, "\"HTTPStatusCode\":503") != NULL, "503 error document has HTTPStatusCode 503");
  expect_error("HTTP 503", s, COGNITO_IDENTITY_SERVICE, out, NULL);

  check(emulator_fault("{\"kind\": \"reset\", \"count\": 1, \"operation\": \"ListIdentityPools\"}") == 200,
        "inject a connection-reset fault");
  s = cognito_identity_list_identity_pools(c, "{\"MaxResults\": 1}", &out);
  expect_error("connection reset", s, COGNITO_IDENTITY_TRANSPORT, out, NULL);
  cognito_identity_client_free(c);

  /* Nothing listening. */
  char config[512];
  snprintf(config, sizeof config,
           "{\"region\": \"us-east-1\", \"endpoint_url\": \"http://127.0.0.1:%d\", \"unsigned\": true,"
           " \"max_attempts\": 1}",
           closed_port());
  cognito_identity_client *closed = NULL;
  s = cognito_identity_client_new(config, &closed, NULL);
  check(s == COGNITO_IDENTITY_OK, "client_new(closed port)");
  if (closed != NULL) {
    s = cognito_identity_get_id(closed, NO_POOL, &out);
    expect_error("connection refused", s, COGNITO_IDENTITY_TRANSPORT, out, "EndpointConnectionError");
    cognito_identity_client_free(closed);
  }
}

int main(void) {
  configuration_and_credentials();
  cognito_identity_client *c = new_client(NULL);
  invalid_arguments(c);
  model_and_service(c);
  cognito_identity_client_free(c);
  faults();
  return finish("test_status");
}
