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

// waitReadable waits until the socket is readable, deadline has passed, or
// ctx has ended; only ctx's end is an error (finishing the call after the
// deadline reports the read timeout).
func (w *waiter) waitReadable(ctx context.Context, deadline time.Time) error {
	if w.f == nil {
		pollReadable(w.fd, deadline)
		return ctx.Err()
	}
	w.setDeadline(deadline)
	if ctx.Done() == nil {
		w.wait()
		return nil
	}
	stop := context.AfterFunc(ctx, func() { _ = w.f.SetReadDeadline(time.Unix(1, 0)) })
	w.wait()
	if stop() {
		return nil
	}
	w.set = time.Time{} // the one set to wake this wait
	// ctx has ended and its deadline may be set late: the call is
	// abandoned and its connection closed, so that reaches no other call.
	return ctx.Err()
}

// setDeadline makes the read deadline deadline, or keeps the one set if
// it comes at most a 64th of the wait earlier: setting one re-arms a runtime
// timer (3 % of a call's time with 16 goroutines), and the calls on one
// connection ask for deadlines microseconds apart. An earlier deadline only
// ends the wait early: finish then finds the call not yet due, and the
// caller waits again with a deadline set anew.
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

// wait returns when the socket is readable or the read deadline has passed.
func (w *waiter) wait() {
	// Asked once, before the wait, whether the answer is there (a peek):
	// it may have come since finish read, and the netpoller's events are
	// edge-triggered (the read's preparation drops one that came before
	// it). After a wake-up, finish reads whatever woke it.
	var b [1]byte
	peeked := false
	_ = w.rc.Read(func(fd uintptr) bool {
		if peeked {
			return true
		}
		peeked = true
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return err != syscall.EAGAIN && err != syscall.EINTR
	})
}
