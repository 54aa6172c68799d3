//go:build unix

package cognitoidentity

import (
	"context"
	"os"
	"syscall"
	"time"
)

// waitReadable waits in Go's netpoller until fd, a connection socket of the
// core (non-blocking while a split call waits on it), is readable, limit
// has passed, or ctx has ended; only ctx's end is an error (finishing the
// call after the limit reports the read timeout). The netpoller closes what
// it registers, so it gets a duplicate of fd.
func waitReadable(ctx context.Context, fd int, limit time.Duration) error {
	// Under ForkLock and close-on-exec, as the os package opens descriptors:
	// a child started meanwhile must not inherit the connection.
	syscall.ForkLock.RLock()
	dup, err := syscall.Dup(fd)
	if err == nil {
		syscall.CloseOnExec(dup)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil // finishing then waits in the read itself
	}
	f := os.NewFile(uintptr(dup), "cognito-identity-connection")
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return nil
	}
	if limit > 0 {
		_ = f.SetReadDeadline(time.Now().Add(limit))
	}
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() { _ = f.SetReadDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	// Asked before each wait whether the answer is there (a peek): the
	// readiness event may have come and gone between registering and the
	// wait, and the netpoller's events are edge-triggered.
	var b [1]byte
	_ = rc.Read(func(fd uintptr) bool {
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return err != syscall.EAGAIN && err != syscall.EINTR
	})
	return ctx.Err()
}
