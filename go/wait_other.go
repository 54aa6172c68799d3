//go:build !unix

package cognitoidentity

import (
	"context"
	"time"
)

// waiter: the core splits calls only on Unix, so none is used here;
// finishing a call would wait in its read.
type waiter struct{}

func newWaiter(int) *waiter { return &waiter{} }

func (*waiter) close() {}

func (*waiter) waitReadable(ctx context.Context, _ time.Duration) error {
	return ctx.Err()
}
