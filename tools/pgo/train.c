/*
 * train.c: replays tools/pgo/workload.tsv through the C ABI (see tools/pgo.sh).
 *
 *   train WORKLOAD ENDPOINT_URL ROUNDS
 *
 * Every call goes through cognito_identity_call, the path the per-operation
 * functions share. Exits non-zero, naming the line, when a call's outcome is
 * not the one the workload expects.
 */
#include "cognito_identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 256
#define MAX_NAMES 16
#define TEXT 4096

struct line {
  int number;
  char op[64], input[TEXT], expect[64], key[128], name[128];
};

struct var {
  char name[128], value[256];
};

static struct line lines[MAX_LINES];
static struct var vars[MAX_NAMES];
static int nvars;

static void die(const char *what) {
  fprintf(stderr, "train: %s\n", what);
  exit(1);
}

static void set_var(const char *name, const char *value) {
  int i = 0;
  while (i < nvars && strcmp(vars[i].name, name) != 0) i++;
  if (i == MAX_NAMES) die("too many captured names");
  if (i == nvars) nvars++;
  snprintf(vars[i].name, sizeof vars[i].name, "%s", name);
  snprintf(vars[i].value, sizeof vars[i].value, "%s", value);
}

/* Copies `field` (up to the next tab or the end) into `dst`; returns what follows it. */
static char *field(char *p, char *dst, size_t size, int number) {
  char *end = strchr(p, '\t');
  size_t n = end ? (size_t)(end - p) : strlen(p);
  if (n >= size) {
    fprintf(stderr, "train: workload line %d: a field is too long\n", number);
    exit(1);
  }
  memcpy(dst, p, n);
  dst[n] = '\0';
  return end ? end + 1 : NULL;
}

static int load(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) die("cannot open the workload");
  static char buf[TEXT + 256];
  int n = 0, number = 0;
  while (fgets(buf, sizeof buf, f) != NULL) {
    number++;
    buf[strcspn(buf, "\r\n")] = '\0';
    if (buf[0] == '\0' || buf[0] == '#') continue;
    if (n == MAX_LINES) die("too many workload lines");
    struct line *l = &lines[n++];
    l->number = number;
    char *p = field(buf, l->op, sizeof l->op, number);
    p = p ? field(p, l->input, sizeof l->input, number) : NULL;
    if (p == NULL) {
      fprintf(stderr, "train: workload line %d: expected OPERATION INPUT EXPECT [CAPTURE]\n", number);
      exit(1);
    }
    p = field(p, l->expect, sizeof l->expect, number);
    l->key[0] = l->name[0] = '\0';
    if (p != NULL) {
      char capture[128];
      field(p, capture, sizeof capture, number);
      char *eq = strchr(capture, '=');
      if (eq == NULL) die("a capture is not KEY=NAME");
      *eq = '\0';
      snprintf(l->key, sizeof l->key, "%s", capture);
      snprintf(l->name, sizeof l->name, "%s", eq + 1);
    }
  }
  fclose(f);
  return n;
}

/* The template with every $NAME replaced by its captured value. */
static void expand(const struct line *l, char *out, size_t size) {
  size_t o = 0;
  for (const char *p = l->input; *p != '\0';) {
    const char *value = NULL;
    size_t skip = 1;
    if (*p == '$') {
      size_t n = 1;
      while (p[n] >= 'A' && p[n] <= 'Z') n++;
      for (int i = 0; i < nvars; i++) {
        if (strlen(vars[i].name) == n - 1 && strncmp(vars[i].name, p + 1, n - 1) == 0) value = vars[i].value;
      }
      if (value == NULL) {
        fprintf(stderr, "train: workload line %d: no value for %.*s\n", l->number, (int)n, p);
        exit(1);
      }
      skip = n;
    }
    size_t len = value ? strlen(value) : 1;
    if (o + len + 1 > size) die("an expanded input is too long");
    memcpy(out + o, value ? value : p, len);
    o += len;
    p += skip;
  }
  out[o] = '\0';
}

/* The string member `key` of a compact JSON document, into `buf`. */
static int string_member(const char *json, const char *key, char *buf, size_t size) {
  char pattern[96];
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  const char *p = strstr(json, pattern);
  if (p == NULL) return 0;
  p += strlen(pattern);
  size_t n = strcspn(p, "\"");
  if (n >= size) return 0;
  memcpy(buf, p, n);
  buf[n] = '\0';
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s WORKLOAD ENDPOINT_URL ROUNDS\n", argv[0]);
    return 2;
  }
  char *end = NULL;
  long rounds = strtol(argv[3], &end, 10);
  if (end == argv[3] || *end != '\0' || rounds < 1) {
    fprintf(stderr, "train: ROUNDS must be a positive integer, not '%s'\n", argv[3]);
    return 2;
  }
  int n = load(argv[1]);
  char config[512];
  snprintf(config, sizeof config,
           "{\"region\":\"us-east-1\",\"endpoint_url\":\"%s\","
           "\"aws_access_key_id\":\"test\",\"aws_secret_access_key\":\"test\"}",
           argv[2]);
  cognito_identity_client *client = NULL;
  char *error = NULL;
  if (cognito_identity_client_new(config, &client, &error) != COGNITO_IDENTITY_OK) {
    fprintf(stderr, "train: client_new failed: %s\n", error);
    return 1;
  }
  static char input[TEXT];
  long calls = 0;
  for (long r = 0; r < rounds; r++) {
    char round[32];
    snprintf(round, sizeof round, "%ld", r);
    set_var("ROUND", round);
    for (int i = 0; i < n; i++) {
      const struct line *l = &lines[i];
      expand(l, input, sizeof input);
      char *out = NULL;
      cognito_identity_status status = cognito_identity_call(client, l->op, input, &out);
      calls++;
      char code[96] = "ok";
      if (status != COGNITO_IDENTITY_OK && !string_member(out, "Code", code, sizeof code)) {
        snprintf(code, sizeof code, "status %d", (int)status);
      }
      if (strcmp(code, l->expect) != 0) {
        fprintf(stderr, "train: workload line %d: %s ended '%s', the workload expects '%s'\n", l->number, l->op, code,
                l->expect);
        return 1;
      }
      if (l->name[0] != '\0' && status == COGNITO_IDENTITY_OK) {
        char value[256];
        if (!string_member(out, l->key, value, sizeof value)) {
          fprintf(stderr, "train: workload line %d: no string %s in the output\n", l->number, l->key);
          return 1;
        }
        set_var(l->name, value);
      }
      cognito_identity_string_free(out);
    }
  }
  cognito_identity_client_free(client);
  printf("train.c: %ld calls, every outcome as expected\n", calls);
  return 0;
}
