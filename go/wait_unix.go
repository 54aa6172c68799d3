//go:build unix && !aix

package cognitoidentity

import (
	"context"
	"os"
	"syscall"
	"time"
)

// waiter waits in Go's netpoller for a connection socket of the core to be
// readable. The netpoller closes what it registers, so it holds a duplicate
// of the socket; without one (it could not be made) it waits in poll(2).
type waiter struct {
	fd    int
	f     *os.File
	rc    syscall.RawConn
	local bool // the server is on loopback (yield_linux.go)
	// set is the read deadline f has (zero: not known). Only the call that
	// holds the connection uses its waiter.
	set time.Time
}

func newWaiter(fd int) *waiter {
	// Under ForkLock and close-on-exec, as the os package opens descriptors:
	// a child started meanwhile must not inherit the connection.
	syscall.ForkLock.RLock()
	dup, err := syscall.Dup(fd)
	if err == nil {
		syscall.CloseOnExec(dup)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return &waiter{fd: fd, local: peerIsLoopback(fd)}
	}
	// The socket is non-blocking now (the core made it so for the wait),
	// so the os package registers it with the netpoller.
	f := os.NewFile(uintptr(dup), "cognito-identity-connection")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return &waiter{fd: fd, local: peerIsLoopback(fd)}
	}
	return &waiter{fd: fd, f: f, rc: rc, local: peerIsLoopback(fd)}
}

func (w *waiter) close() {
	if w.f != nil {
		w.f.Close()
	}
}

// finish calls step (one cognito_identity_call_finish) until it reports
// the call done: at once, once more after a yield when yield is set, then
// each time the socket has become readable or deadline has passed. Only
// ctx's end is an error (a finish after the deadline reports the read
// timeout). The steps run inside the netpoller's read, which resets the
// socket's readiness before the first: an answer that arrives after any
// step wakes the wait, so none needs a system call to look for one that
// came before the wait (its events are edge-triggered).
func (w *waiter) finish(ctx context.Context, deadline time.Time, yield bool, step func() bool) error {
	if w.f == nil {
		return finishPolling(ctx, w.fd, deadline, yield, step)
	}
	done := false
	try := func(uintptr) bool {
		if done = step(); !done && yield {
			yield = false
			yieldToLocalServer()
			done = step()
		}
		return done
	}
	w.setDeadline(deadline)
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, func() { _ = w.f.SetReadDeadline(time.Unix(1, 0)) })
	}
	for {
		_ = w.rc.Read(try)
		if done {
			break
		}
		// The read deadline has passed: deadline, one set a little
		// earlier, or ctx's wake-up.
		if stop != nil && ctx.Err() != nil {
			stop()
			w.set = time.Time{} // moved into the past for the wake-up
			// The call is abandoned and its connection closed, so a
			// deadline set late reaches no other call.
			return ctx.Err()
		}
		if done = step(); done {
			break
		}
		w.setDeadline(deadline)
	}
	if stop != nil && !stop() {
		w.set = time.Time{} // ctx ended as the call did: its wake-up moved the deadline
	}
	return nil
}

// setDeadline makes the read deadline deadline, or keeps the one set if
// it comes at most a 64th of the wait earlier: setting one re-arms a runtime
// timer (3 % of a call's time with 16 goroutines), and the calls on one
// connection ask for deadlines microseconds apart. An earlier deadline only
// ends the wait early: the step then finds the call not yet due, and the
// wait goes on with a deadline set anew.
func (w *waiter) setDeadline(deadline time.Time) {
	if early := deadline.Sub(w.set); !w.set.IsZero() && early >= 0 && early <= time.Until(deadline)/64 {
		return
	}
	if w.f.SetReadDeadline(deadline) == nil {
		w.set = deadline
	} else {
		w.set = time.Time{}
	}
}
