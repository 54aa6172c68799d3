package cognitoidentity

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestCallsWaitingToRetryHoldNoThread: a retry's backoff is a timer in Go,
// not a goroutine blocked in a C call (which holds an OS thread, and Go
// starts another for every processor it takes): under throttling, many
// calls back off at once. Then ctx ends the calls promptly.
func TestCallsWaitingToRetryHoldNoThread(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		served.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"__type":"InternalErrorException","message":"try again"}`))
	}))
	defer srv.Close()
	// Full jitter over 20 s: a retry comes within the first 0.3 s for about
	// one call in 70.
	c, err := New(Config{Region: "us-east-1", EndpointURL: srv.URL, Unsigned: true, InitialBackoff: 20 * time.Second, MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const calls = 32
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs := make(chan error, calls)
	for range calls {
		go func() {
			_, err := c.GetId(ctx, &GetIdInput{IdentityPoolId: "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"})
			errs <- err
		}()
	}
	for start := time.Now(); served.Load() < calls; time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("%d of %d first attempts served in 10 s", served.Load(), calls)
		}
	}
	time.Sleep(300 * time.Millisecond)
	inC, backingOff := goroutinesIn("_Cfunc_cognito_identity_call_"), goroutinesIn("(*splitCall).backoff")
	if inC > 2 || backingOff < calls/2 {
		t.Fatalf("of %d calls waiting to retry, %d are in C calls and %d back off in Go", calls, inC, backingOff)
	}
	began := time.Now()
	cancel()
	for range calls {
		if err := <-errs; !errors.Is(err, context.Canceled) && !IsCode(err, "InternalErrorException") {
			t.Errorf("err = %v, want context.Canceled (or the service's error, after a quick retry)", err)
		}
	}
	if took := time.Since(began); took > 2*time.Second {
		t.Fatalf("the calls took %v to end after ctx", took)
	}
}

// goroutinesIn counts the goroutines whose stack has a frame named with
// fn in it.
func goroutinesIn(fn string) int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		if bytes.Contains(g, []byte(fn)) {
			count++
		}
	}
	return count
}
