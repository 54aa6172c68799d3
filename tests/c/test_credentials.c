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

  unlink(path("creds.sh"));
  unlink(path("fail.sh"));
  unlink(path("config"));
  rmdir(dir);
  return finish("test_credentials");
}
