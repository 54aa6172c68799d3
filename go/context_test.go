package cognitoidentity

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestContextDeadlineShorterThanInjectedDelay(t *testing.T) {
	c := newClient(t)
	pool := createPool(t, c, "go-deadline")
	injectFault(t, fault{Kind: "delay", Count: 1, Operation: "GetId", DelayMS: 3000})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetId(ctx, &GetIdInput{IdentityPoolId: pool.IdentityPoolId})
	took := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if took > 2*time.Second {
		t.Fatalf("the call took %v despite a 300ms deadline", took)
	}
	// The client is still usable (the delay fault is used up).
	if _, err := c.GetId(context.Background(), &GetIdInput{IdentityPoolId: pool.IdentityPoolId}); err != nil {
		t.Fatal(err)
	}
}

func TestCancellationReturnsPromptly(t *testing.T) {
	c := newClient(t)
	pool := createPool(t, c, "go-cancel")
	injectFault(t, fault{Kind: "delay", Count: 1, Operation: "GetId", DelayMS: 1500})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetId(ctx, &GetIdInput{IdentityPoolId: pool.IdentityPoolId})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("cancellation took %v", took)
	}
	// Closing while the abandoned C call still runs must not free the handle under it.
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1600 * time.Millisecond) // let the abandoned call finish and free the handle
}

func TestAlreadyDoneContext(t *testing.T) {
	c := newClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.GetId(ctx, &GetIdInput{IdentityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	past, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	if _, err := c.GetId(past, &GetIdInput{IdentityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestCoreDeadlineErrorWrapsContextError(t *testing.T) {
	// The core gets the deadline as timeout_ms; whichever side fires first,
	// errors.Is(err, context.DeadlineExceeded) holds.
	e := &Error{Code: CodeDeadlineExceeded, Status: StatusTimeout, cause: context.DeadlineExceeded}
	var err error = e
	if !errors.Is(err, context.DeadlineExceeded) || !IsCode(err, CodeDeadlineExceeded) {
		t.Fatal("the core's deadline error does not match both ways")
	}
}

// TestNilContextIsBackground: a nil context is context.Background(), for
// Call and for the typed methods alike.
func TestNilContextIsBackground(t *testing.T) {
	c := newClient(t)
	pool := createPool(t, c, "go-nil-context")
	in := &GetIdInput{IdentityPoolId: pool.IdentityPoolId}
	out, err := c.GetId(nil, in) // a nil context is what is tested
	if err != nil || out.IdentityId == "" {
		t.Fatalf("GetId(nil, ...) = %+v, %v", out, err)
	}
	var raw map[string]any
	if err := c.Call(nil, "GetId", in, &raw); err != nil || raw["IdentityId"] == nil {
		t.Fatalf("Call(nil, ...) = %v, %v", raw, err)
	}
}
