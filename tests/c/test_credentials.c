/* Credential sources from C: the container endpoint (the emulator's) and a
 * profile's credential_process, found by the default chain with no keys in
 * the config, and a failing process reported as a credentials error. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/cognito-c-creds-XXXXXX";
static char path_buf[512];

static const char *path(const char *name) {
  snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
  return path_buf;
}

static int write_file(const char *name, const char *text, mode_t mode) {
  FILE *f = fopen(path(name), "w");
  if (f == NULL) return 0;
  int ok = fputs(text, f) >= 0;
  ok = (fclose(f) == 0) && ok;
  return ok && chmod(path(name), mode) == 0;
}

/* A client with no keys: region and endpoint only, plus `extra`. */
static cognito_identity_client *keyless_client(const char *extra) {
  char config[1024];
  snprintf(config, sizeof config, "{\"region\": \"us-east-1\", \"endpoint_url\": \"%s\"%s%s}", endpoint(),
           extra ? ", " : "", extra ? extra : "");
  cognito_identity_client *client = NULL;
  char *error = NULL;
  cognito_identity_status s = cognito_identity_client_new(config, &client, &error);
  check(s == COGNITO_IDENTITY_OK, "a keyless client is made (%s)", error ? error : "ok");
  cognito_identity_string_free(error);
  return client;
}

/* Checks the client's credential_source, then that a signed call succeeds. */
static void expect_source_and_signed_call(const char *what, cognito_identity_client *client, const char *source) {
  char *out = NULL;
  cognito_identity_status s = cognito_identity_client_describe(client, &out);
  char *found = (s == COGNITO_IDENTITY_OK && out) ? json_string(out, "credential_source") : NULL;
  check(found != NULL && strcmp(found, source) == 0, "%s: credential_source is \"%s\" (got %s)", what, source,
        found ? found : out);
  free(found);
  cognito_identity_string_free(out);
  cognito_identity_string_free(
      call_ok(what, cognito_identity_list_identity_pools, client, "{\"MaxResults\": 1}"));
}

static int callback_calls = 0;

/* The logins callback: the application's current token for Facebook. */
static const char *facebook_logins(void *user_data) {
  callback_calls++;
  return (const char *)user_data;
}

/* An identity-pool provider: a guest's credentials, then the guest signs in
 * through the logins callback and Cognito links the identity. */
static void identity_pool_provider(void) {
  cognito_identity_client *admin = new_client(NULL);
  char *out = call_ok("CreateIdentityPool", cognito_identity_create_identity_pool, admin,
                      "{\"IdentityPoolName\": \"c_provider\", \"AllowUnauthenticatedIdentities\": true,"
                      " \"SupportedLoginProviders\": {\"graph.facebook.com\": \"123\"}}");
  char *pool = out ? json_string(out, "IdentityPoolId") : NULL;
  cognito_identity_string_free(out);
  if (pool == NULL) {
    cognito_identity_client_free(admin);
    return;
  }
  char input[512];
  snprintf(input, sizeof input,
           "{\"IdentityPoolId\": \"%s\", \"Roles\": {\"unauthenticated\": \"arn:aws:iam::123456789012:role/CGuest\","
           " \"authenticated\": \"arn:aws:iam::123456789012:role/CUser\"}}",
           pool);
  cognito_identity_string_free(call_ok("SetIdentityPoolRoles", cognito_identity_set_identity_pool_roles, admin, input));

  char config[512];
  snprintf(config, sizeof config, "{\"identity_pool_id\": \"%s\", \"endpoint_url\": \"%s\", \"cache_dir\": false}",
           pool, endpoint());
  cognito_identity_credentials *provider = NULL;
  char *error = NULL;
  cognito_identity_status s = cognito_identity_credentials_new(config, &provider, &error);
  check(s == COGNITO_IDENTITY_OK && provider != NULL, "cognito_identity_credentials_new (%s)", error ? error : "ok");
  cognito_identity_string_free(error);
  if (provider != NULL) {
    char *creds = NULL;
    s = cognito_identity_credentials_get(provider, &creds);
    char *key = (s == COGNITO_IDENTITY_OK) ? json_string(creds, "AccessKeyId") : NULL;
    char *guest = (s == COGNITO_IDENTITY_OK) ? json_string(creds, "IdentityId") : NULL;
    char *expiration = (s == COGNITO_IDENTITY_OK) ? json_string(creds, "Expiration") : NULL;
    check(key && strncmp(key, "ASIA", 4) == 0 && guest && expiration && strlen(expiration) == 20,
          "a guest's credentials: %s, %s", key ? key : creds, expiration ? expiration : "(no expiration)");
    cognito_identity_string_free(creds);

    check(cognito_identity_credentials_set_logins_callback(provider, facebook_logins,
                                                           (void *)"{\"graph.facebook.com\": \"c-user\"}") ==
              COGNITO_IDENTITY_OK,
          "set_logins_callback");
    s = cognito_identity_credentials_get(provider, &creds);
    char *signed_in = (s == COGNITO_IDENTITY_OK) ? json_string(creds, "IdentityId") : NULL;
    check(signed_in && guest && strcmp(signed_in, guest) == 0 && callback_calls == 1,
          "signing in links the guest identity (callback called %d times)", callback_calls);
    cognito_identity_string_free(creds);

    char *described = NULL;
    s = cognito_identity_credentials_describe(provider, &described);
    check(s == COGNITO_IDENTITY_OK && signed_in && strstr(described, signed_in), "describe names the identity: %s",
          described);
    cognito_identity_string_free(described);
    check(cognito_identity_credentials_clear(provider) == COGNITO_IDENTITY_OK, "clear");
    s = cognito_identity_credentials_describe(provider, &described);
    check(s == COGNITO_IDENTITY_OK && strstr(described, "\"identity_id\":null"), "after clear no identity is held: %s",
          described);
    cognito_identity_string_free(described);
    free(key);
    free(guest);
    free(expiration);
    free(signed_in);
  }
  cognito_identity_credentials_free(provider);
  cognito_identity_credentials_free(NULL);
  free(pool);
  cognito_identity_client_free(admin);
}

int main(void) {
  if (mkdtemp(dir) == NULL) {
    check(0, "mkdtemp");
    return finish("test_credentials");
  }

  /* The container endpoint: the emulator hands out keys it accepts back. */
  char uri[512];
  snprintf(uri, sizeof uri, "%s/_emulator/container-credentials", endpoint());
  setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
  cognito_identity_client *c = keyless_client(NULL);
  if (c) expect_source_and_signed_call("container credentials", c, "container-role");
  cognito_identity_client_free(c);
  unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");

  /* credential_process: a script printing the emulator's key. */
  check(write_file("creds.sh",
                   "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"test\", \"SecretAccessKey\": \"test\"}'\n",
                   0700),
        "write the process script");
  check(write_file("fail.sh", "#!/bin/sh\necho 'vault is sealed' >&2\nexit 3\n", 0700), "write the failing script");
  char config[2048];
  snprintf(config, sizeof config,
           "[profile proc]\ncredential_process = %s/creds.sh\n[profile broken]\ncredential_process = %s/fail.sh\n", dir,
           dir);
  check(write_file("config", config, 0600), "write the config file");
  setenv("AWS_CONFIG_FILE", path("config"), 1);

  c = keyless_client("\"profile\": \"proc\"");
  if (c) expect_source_and_signed_call("credential_process", c, "custom-process (profile proc)");
  cognito_identity_client_free(c);

  c = keyless_client("\"profile\": \"broken\"");
  if (c) {
    char *out = NULL;
    cognito_identity_status s = cognito_identity_list_identity_pools(c, "{\"MaxResults\": 1}", &out);
    check(out != NULL && strstr(out, "custom-process (profile broken)") && strstr(out, "vault is sealed"),
          "the failure names the source, the profile and the process's message: %s", out ? out : "(null)");
    expect_error("a failing credential_process", s, COGNITO_IDENTITY_CREDENTIALS, out, "CredentialRetrievalError");
  }
  cognito_identity_client_free(c);

  unsetenv("AWS_CONFIG_FILE");
  identity_pool_provider();

  unlink(path("creds.sh"));
  unlink(path("fail.sh"));
  unlink(path("config"));
  rmdir(dir);
  return finish("test_credentials");
}
