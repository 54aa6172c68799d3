//go:build !unix || aix

package cognitoidentity

import (
	"context"
	"time"
)

// waiter waits in poll(2), in a blocking C call: the core splits calls only
// on Unix, and AIX's syscall package has no MSG_DONTWAIT for the netpoller
// path's peek.
type waiter struct {
	fd    int
	local bool
}

func newWaiter(fd int) *waiter { return &waiter{fd: fd, local: peerIsLoopback(fd)} }

func (*waiter) close() {}

func (w *waiter) finish(ctx context.Context, deadline time.Time, yield bool, call stepper) error {
	return finishPolling(ctx, w.fd, deadline, yield, call)
}
