//go:build unix && !aix

package cognitoidentity

import (
	"context"
	"os"
	"sync/atomic"
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
	// set is the read deadline f has, in Unix nanoseconds (0: not known).
	// Atomic: the next call on the connection reads what the last one
	// wrote, ordered only by the core's pool, which Go does not see.
	set atomic.Int64
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

// finish steps the call (one cognito_identity_call_step each) until its wait
// on this connection is over (stepper): at once, once more after a yield when yield is set, then each time
// the socket has become readable or deadline has passed. Only ctx's end is
// an error (a step after the deadline reports the read timeout). The steps
// run inside the netpoller's read, which resets the socket's readiness
// before the first: an answer that arrives after any step wakes the wait,
// so none needs a system call to look for one that came before the wait
// (its events are edge-triggered).
//
// The step that completes the call gives the connection back to the core,
// and the next call on it may start at once: after that step this call
// touches neither the socket nor its deadline. So ctx's wake-up (which
// moves the deadline into the past) is registered before each wait and
// stopped before each step.
func (w *waiter) finish(ctx context.Context, deadline time.Time, yield bool, call stepper) error {
	if w.f == nil {
		return finishPolling(ctx, w.fd, deadline, yield, call)
	}
	f := &finishing{file: w.f, ctx: ctx, call: call, yield: yield}
	w.setDeadline(deadline)
	for {
		_ = w.rc.Read(f.try)
		f.unwake()
		switch {
		case f.done:
			return nil
		case f.ended:
			// The call is abandoned and its connection closed, so the
			// deadline its wake-up moved reaches no other call.
			w.set.Store(0)
			return ctx.Err()
		}
		// The read deadline has passed: deadline, or one set a little
		// earlier (and kept). A step tells which; then wait again.
		if f.done = call.step(); f.done {
			return nil
		}
		w.setDeadline(deadline)
	}
}

// finishing is a call in waiter.finish.
type finishing struct {
	file  *os.File
	ctx   context.Context
	call  stepper
	yield bool
	done  bool        // the call is done, or waits to retry (stepper)
	ended bool        // ctx ended while the call waited
	stop  func() bool // stops ctx's wake-up registered for the wait under way
}

// try is the netpoller read's function, run before each wait and after it.
func (f *finishing) try(uintptr) bool {
	if f.unwake(); f.ended {
		return true
	}
	f.done = stepYielding(f.call, &f.yield)
	if !f.done && f.ctx.Done() != nil {
		file := f.file
		f.stop = context.AfterFunc(f.ctx, func() { _ = file.SetReadDeadline(time.Unix(1, 0)) })
	}
	return f.done
}

// unwake stops ctx's wake-up registered for the wait just over, if any;
// when it has run already (it moved the deadline), ctx has ended.
func (f *finishing) unwake() {
	if f.stop != nil && !f.stop() {
		f.ended = true
	}
	f.stop = nil
}

// setDeadline makes the read deadline deadline, or keeps the one set if
// it comes at most a 64th of the wait earlier: setting one re-arms a runtime
// timer (3 % of a call's time with 16 goroutines), and the calls on one
// connection ask for deadlines microseconds apart. An earlier deadline only
// ends the wait early: the step then finds the call not yet due, and the
// wait goes on with a deadline set anew.
func (w *waiter) setDeadline(deadline time.Time) {
	if set := w.set.Load(); set != 0 {
		if early := time.Duration(deadline.UnixNano() - set); early >= 0 && early <= time.Until(deadline)/64 {
			return
		}
	}
	if w.f.SetReadDeadline(deadline) == nil {
		w.set.Store(deadline.UnixNano())
	} else {
		w.set.Store(0)
	}
}
