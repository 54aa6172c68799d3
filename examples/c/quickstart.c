/*
 * quickstart.c: the C API of cognito-identity against the local emulator.
 *
 * Creates an identity pool with roles (signed calls, with the emulator's
 * default test/test key), then does what an app does: GetId,
 * GetCredentialsForIdentity and GetOpenIdToken. It prints the identity id and
 * the credentials' expiration, never a secret key, session token or token.
 *
 * Build (from the repository root, after `cargo build -p cognito-identity-ffi`):
 *
 *   cc -Wall -Wextra -std=c11 -Iinclude examples/c/quickstart.c \
 *      -Ltarget/debug -lcognito_identity -Wl,-rpath,$PWD/target/debug -o quickstart
 *
 * or statically:
 *
 *   cc -std=c11 -Iinclude examples/c/quickstart.c target/debug/libcognito_identity.a \
 *      -lpthread -ldl -lm -o quickstart
 *
 * or after `make install PREFIX=$HOME/.local`:
 *
 *   cc examples/c/quickstart.c $(pkg-config --cflags --libs cognito_identity) -o quickstart
 *
 * Run (start the emulator first: target/debug/cognito-identity-emulator --port 0):
 *
 *   ./quickstart http://127.0.0.1:PORT
 *   COGNITO_IDENTITY_ENDPOINT=http://127.0.0.1:PORT ./quickstart
 */
#include "cognito_identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The raw value of "key" in the compact JSON the library returns: a string's
 * contents or a number's digits, copied into `buf`. Returns NULL if absent. */
static const char *json_value(const char *json, const char *key, char *buf, size_t size) {
  char pattern[128];
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  const char *p = strstr(json, pattern);
  if (p == NULL || size == 0) {
    return NULL;
  }
  p += strlen(pattern);
  int quoted = *p == '"';
  p += quoted;
  size_t n = 0;
  while (p[n] != '\0' && n + 1 < size && (quoted ? p[n] != '"' : (p[n] != ',' && p[n] != '}'))) {
    n++;
  }
  memcpy(buf, p, n);
  buf[n] = '\0';
  return buf;
}

/* Checks one call's status and returns its output (`*out`, read after the
 * call has set it); on failure prints the error document (it holds no
 * secrets) and exits. */
static char *must(const char *what, cognito_identity_status status, char **out) {
  if (status != COGNITO_IDENTITY_OK) {
    fprintf(stderr, "%s failed (status %d): %s\n", what, (int)status, *out);
    cognito_identity_string_free(*out);
    exit(1);
  }
  return *out;
}

int main(int argc, char **argv) {
  const char *url = argc > 1 ? argv[1] : getenv("COGNITO_IDENTITY_ENDPOINT");
  if (url == NULL) {
    fprintf(stderr, "usage: %s EMULATOR_URL (or set COGNITO_IDENTITY_ENDPOINT)\n", argv[0]);
    return 2;
  }
  printf("cognito-identity %s\n", cognito_identity_version());

  char config[512];
  snprintf(config, sizeof config,
           "{\"region\": \"us-east-1\", \"endpoint_url\": \"%s\","
           " \"aws_access_key_id\": \"test\", \"aws_secret_access_key\": \"test\"}",
           url);
  cognito_identity_client *client = NULL;
  char *error = NULL;
  if (cognito_identity_client_new(config, &client, &error) != COGNITO_IDENTITY_OK) {
    fprintf(stderr, "client_new failed: %s\n", error);
    cognito_identity_string_free(error);
    return 1;
  }

  /* An identity pool that trusts Facebook logins, with roles to hand out. */
  char *out = NULL;
  out = must("CreateIdentityPool",
             cognito_identity_create_identity_pool(
                 client,
                 "{\"IdentityPoolName\": \"quickstart\", \"AllowUnauthenticatedIdentities\": true,"
                 " \"SupportedLoginProviders\": {\"graph.facebook.com\": \"1234567890\"}}",
                 &out),
             &out);
  char pool[128];
  json_value(out, "IdentityPoolId", pool, sizeof pool);
  cognito_identity_string_free(out);
  printf("identity pool:  %s\n", pool);

  char input[512];
  snprintf(input, sizeof input,
           "{\"IdentityPoolId\": \"%s\", \"Roles\": {"
           "\"authenticated\": \"arn:aws:iam::123456789012:role/QuickstartAuth\","
           " \"unauthenticated\": \"arn:aws:iam::123456789012:role/QuickstartUnauth\"}}",
           pool);
  cognito_identity_string_free(
      must("SetIdentityPoolRoles", cognito_identity_set_identity_pool_roles(client, input, &out), &out));

  /* What an app does: find its identity, then get credentials and a token for it. */
  const char *login = "\"Logins\": {\"graph.facebook.com\": \"quickstart-user\"}";
  snprintf(input, sizeof input, "{\"IdentityPoolId\": \"%s\", %s}", pool, login);
  out = must("GetId", cognito_identity_get_id(client, input, &out), &out);
  char id[128];
  json_value(out, "IdentityId", id, sizeof id);
  cognito_identity_string_free(out);
  printf("identity id:    %s\n", id);

  snprintf(input, sizeof input, "{\"IdentityId\": \"%s\", %s}", id, login);
  out = must("GetCredentialsForIdentity", cognito_identity_get_credentials_for_identity(client, input, &out), &out);
  char key_id[64], expiration[64];
  json_value(out, "AccessKeyId", key_id, sizeof key_id);
  json_value(out, "Expiration", expiration, sizeof expiration);
  cognito_identity_string_free(out); /* holds the secret key: freed, never printed */
  printf("access key id:  %s (secret key and session token not shown)\n", key_id);
  /* Timestamps come as epoch seconds, as on the wire. */
  time_t expires = (time_t)strtod(expiration, NULL);
  char when[64] = "?";
  struct tm *utc = gmtime(&expires);
  if (utc != NULL) {
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", utc);
  }
  printf("expiration:     %s (%s)\n", when, expiration);

  out = must("GetOpenIdToken", cognito_identity_get_open_id_token(client, input, &out), &out);
  char token[4096];
  json_value(out, "Token", token, sizeof token);
  cognito_identity_string_free(out);
  printf("OpenID token:   %zu bytes (not shown)\n", strlen(token));

  cognito_identity_client_free(client);
  return 0;
}
