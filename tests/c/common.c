#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int passed, failed;

void check(int cond, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("%s - ", cond ? "ok" : "not ok");
  vprintf(fmt, ap);
  printf("\n");
  fflush(stdout);
  va_end(ap);
  if (cond) {
    passed++;
  } else {
    failed++;
  }
}

const char *endpoint(void) {
  const char *url = getenv("COGNITO_IDENTITY_ENDPOINT");
  if (url == NULL || *url == '\0') {
    fprintf(stderr, "set COGNITO_IDENTITY_ENDPOINT to the emulator's URL\n");
    exit(2);
  }
  return url;
}

cognito_identity_client *new_client(const char *extra) {
  char config[1024];
  snprintf(config, sizeof config,
           "{\"region\": \"us-east-1\", \"endpoint_url\": \"%s\", \"aws_access_key_id\": \"test\","
           " \"aws_secret_access_key\": \"test\", \"initial_backoff\": 0.01%s%s}",
           endpoint(), extra ? ", " : "", extra ? extra : "");
  cognito_identity_client *client = NULL;
  char *error = NULL;
  cognito_identity_status status = cognito_identity_client_new(config, &client, &error);
  check(status == COGNITO_IDENTITY_OK && client != NULL && error == NULL, "client_new (%s)",
        error ? error : "ok");
  cognito_identity_string_free(error);
  if (client == NULL) {
    exit(1);
  }
  return client;
}

char *json_string(const char *json, const char *key) {
  char pattern[256];
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  const char *start = strstr(json, pattern);
  if (start == NULL) {
    return NULL;
  }
  start += strlen(pattern);
  const char *end = start;
  while (*end != '\0' && *end != '"') {
    end += (*end == '\\' && end[1] != '\0') ? 2 : 1;
  }
  size_t len = (size_t)(end - start);
  char *value = malloc(len + 1);
  if (value == NULL) {
    return NULL;
  }
  memcpy(value, start, len);
  value[len] = '\0';
  return value;
}

char *call_ok(const char *what, op_fn fn, const cognito_identity_client *client, const char *input) {
  char *out = NULL;
  cognito_identity_status status = fn(client, input, &out);
  int good = status == COGNITO_IDENTITY_OK && out != NULL && out[0] == '{' &&
             strstr(out, "\"ResponseMetadata\":") != NULL && strstr(out, "\"Error\":") == NULL;
  check(good, "%s -> status %d%s%s", what, (int)status, good ? "" : ": ", good ? "" : (out ? out : "(null)"));
  if (!good) {
    cognito_identity_string_free(out);
    return NULL;
  }
  return out;
}

void expect_error(const char *what, cognito_identity_status status, cognito_identity_status want, char *out,
                  const char *code) {
  int good = status == want && out != NULL && strncmp(out, "{\"Error\":{\"Code\":\"", 18) == 0 &&
             strstr(out, "\"ResponseMetadata\":") != NULL;
  if (good && code != NULL) {
    char *got = json_string(out, "Code");
    good = got != NULL && strcmp(got, code) == 0;
    free(got);
  }
  check(good, "%s -> status %d (want %d) %s", what, (int)status, (int)want, out ? out : "(null)");
  cognito_identity_string_free(out);
}

/* The emulator's host and port, from the endpoint URL "http://HOST:PORT". */
static int emulator_address(struct sockaddr_in *addr) {
  const char *url = endpoint();
  const char *host = strstr(url, "://");
  host = host ? host + 3 : url;
  const char *colon = strrchr(host, ':');
  if (colon == NULL) {
    return -1;
  }
  char ip[64];
  size_t len = (size_t)(colon - host);
  if (len >= sizeof ip) {
    return -1;
  }
  memcpy(ip, host, len);
  ip[len] = '\0';
  memset(addr, 0, sizeof *addr);
  addr->sin_family = AF_INET;
  addr->sin_port = htons((uint16_t)atoi(colon + 1));
  return inet_pton(AF_INET, ip, &addr->sin_addr) == 1 ? 0 : -1;
}

int emulator_fault(const char *fault_json) {
  struct sockaddr_in addr;
  if (emulator_address(&addr) != 0) {
    return -1;
  }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return -1;
  }
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  char request[1024];
  int n = snprintf(request, sizeof request,
                   "POST /_emulator/faults HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n"
                   "content-type: application/json\r\ncontent-length: %zu\r\n\r\n%s",
                   strlen(fault_json), fault_json);
  int status = -1;
  if (n > 0 && (size_t)n < sizeof request && write(fd, request, (size_t)n) == (ssize_t)n) {
    char response[512];
    ssize_t got = read(fd, response, sizeof response - 1);
    if (got > 12) {
      response[got] = '\0';
      status = atoi(response + 9); /* "HTTP/1.1 200 OK" */
    }
  }
  close(fd);
  return status;
}

int finish(const char *program) {
  printf("# %s: %d passed, %d failed\n", program, passed, failed);
  return failed == 0 ? 0 : 1;
}
