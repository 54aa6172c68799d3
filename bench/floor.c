/* The floor: the least a client can do per call. One keep-alive TCP
 * connection per thread, fixed request bytes (shaped like ours: same headers,
 * same body; the signed request carries a precomputed Authorization header, so
 * no signing cost), a minimal response read (headers, then Content-Length bytes).
 *
 *   floor URL OP THREADS CALLS_PER_THREAD MAX_SECS WARMUP
 * prints {"calls":N,"secs":S,"maxrss_kb":K} like every bench program. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "measure.h"

static char request[2048];
static size_t request_len;
static const char *expect;
static struct sockaddr_in addr;
static long calls_per_thread;

static int connect_once(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { perror("connect"); exit(2); }
    return fd;
}

/* One request/response exchange on fd. */
static void exchange(int fd) {
    char buf[8192];
    size_t have = 0, need = 0;
    if (write(fd, request, request_len) != (ssize_t)request_len) { perror("write"); exit(2); }
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
        if (n <= 0) { fprintf(stderr, "floor: connection closed\n"); exit(2); }
        have += (size_t)n;
        buf[have] = 0;
        if (!need) {
            char *end = strstr(buf, "\r\n\r\n");
            if (!end) continue;
            char *cl = strcasestr(buf, "\ncontent-length:");
            if (!cl || cl > end) { fprintf(stderr, "floor: no content-length\n"); exit(2); }
            need = (size_t)(end + 4 - buf) + strtoul(cl + 16, NULL, 10);
        }
        if (have >= need) break;
    }
    if (strncmp(buf, "HTTP/1.1 200", 12) != 0 || !strstr(buf, expect)) {
        fprintf(stderr, "floor: unexpected response: %s\n", buf);
        exit(2);
    }
}

static void *worker(void *arg) {
    long *done = arg;
    int fd = connect_once();
    long n = 0;
    while (n < calls_per_thread && now() - t0 < max_secs) { exchange(fd); n++; }
    *done = n;
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 7) { fprintf(stderr, "usage: floor URL OP THREADS CALLS MAX_SECS WARMUP\n"); return 2; }
    int port = 0;
    if (sscanf(argv[1], "http://127.0.0.1:%d", &port) != 1) { fprintf(stderr, "floor: URL must be http://127.0.0.1:PORT\n"); return 2; }
    const char *op = argv[2];
    int threads = atoi(argv[3]);
    calls_per_thread = atol(argv[4]);
    max_secs = atof(argv[5]);
    long warmup = atol(argv[6]);
    const char *body = "{\"IdentityPoolId\":\"us-east-1:00000000-0000-0000-0000-000000000000\"}";
    const char *auth = "";
    if (strcmp(op, "GetId") == 0) {
        expect = "IdentityId";
    } else {
        expect = "IdentityPoolName";
        auth = "x-amz-date: 20260101T000000Z\r\n"
               "authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-identity/aws4_request, "
               "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
               "Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n";
    }
    request_len = (size_t)snprintf(request, sizeof request,
        "POST / HTTP/1.1\r\n"
        "content-type: application/x-amz-json-1.1\r\n"
        "x-amz-target: AWSCognitoIdentityService.%s\r\n"
        "amz-sdk-invocation-id: 5c1a8f52-7d4e-4b8a-9c3e-2f6b1d0e9a77\r\n"
        "amz-sdk-request: attempt=1; max=3\r\n"
        "%s"
        "user-agent: cognito-identity/0.1.0 bench-floor\r\n"
        "accept: */*\r\n"
        "host: 127.0.0.1:%d\r\n"
        "content-length: %zu\r\n\r\n%s",
        op, auth, port, strlen(body), body);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = connect_once();
    for (long i = 0; i < warmup; i++) exchange(fd);
    close(fd);
    int rc = run_and_report(threads, worker);
    return rc;
}
