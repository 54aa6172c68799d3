//go:build unix && !aix

package cognitoidentity

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// socketWaiter is a waiter on one end of a socket pair (non-blocking, as the
// core leaves a connection that serves split calls), and the other end.
func socketWaiter(t *testing.T) (*waiter, int) {
	t.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fds[0]); syscall.Close(fds[1]) })
	if err := syscall.SetNonblock(fds[0], true); err != nil {
		t.Fatal(err)
	}
	w := newWaiter(fds[0])
	t.Cleanup(w.close)
	if w.f == nil {
		t.Skip("the netpoller does not take this socket")
	}
	return w, fds[1]
}

// TestAKeptDeadlineIsNeverLaterAndAtMostAFractionEarlier: the read deadline
// is set again unless the one set comes at most a 64th of the wait earlier.
func TestAKeptDeadlineIsNeverLaterAndAtMostAFractionEarlier(t *testing.T) {
	w, _ := socketWaiter(t)
	d := time.Now().Add(6400 * time.Millisecond) // a 64th: about 100 ms
	w.setDeadline(d)
	if !w.set.Equal(d) {
		t.Fatalf("first deadline: set %v, want %v", w.set, d)
	}
	w.setDeadline(d.Add(50 * time.Millisecond))
	if !w.set.Equal(d) {
		t.Errorf("a deadline 50 ms later replaced the one set (%v)", w.set)
	}
	w.setDeadline(d.Add(500 * time.Millisecond))
	if !w.set.Equal(d.Add(500 * time.Millisecond)) {
		t.Errorf("a deadline 500 ms later kept the one set (%v)", w.set)
	}
	w.setDeadline(d)
	if !w.set.Equal(d) {
		t.Errorf("an earlier deadline kept a later one (%v): the wait would end late", w.set)
	}
}

// TestAWaitEndsAtAKeptDeadlineAndTheNextSetsItsOwn: a wait whose kept
// deadline passes returns then (the caller finishes, finds the call not
// due, and waits again), and that next wait sets its own deadline and
// still sees the socket become readable.
func TestAWaitEndsAtAKeptDeadlineAndTheNextSetsItsOwn(t *testing.T) {
	w, peer := socketWaiter(t)
	kept := time.Now().Add(640 * time.Millisecond)
	w.setDeadline(kept)
	asked := kept.Add(5 * time.Millisecond) // within a 64th of the wait: kept
	start := time.Now()
	if err := w.waitReadable(context.Background(), asked); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 500*time.Millisecond || waited > 5*time.Second {
		t.Fatalf("waited %v, want about 640 ms (the kept deadline)", waited)
	}
	if !w.set.Equal(kept) {
		t.Fatalf("set %v, want the kept %v", w.set, kept)
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		_, _ = syscall.Write(peer, []byte("x"))
	}()
	later := time.Now().Add(10 * time.Second)
	start = time.Now()
	if err := w.waitReadable(context.Background(), later); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Fatalf("waited %v for a socket written after 50 ms", waited)
	}
	if !w.set.Equal(later) {
		t.Fatalf("set %v, want %v", w.set, later)
	}
}

// TestACancelledWaitForgetsItsDeadline: ctx's end wakes the wait by moving
// the deadline into the past, so the waiter no longer knows the one set.
func TestACancelledWaitForgetsItsDeadline(t *testing.T) {
	w, _ := socketWaiter(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := w.waitReadable(ctx, time.Now().Add(10*time.Second)); err == nil {
		t.Fatal("a wait whose context ended reported no error")
	}
	if !w.set.IsZero() {
		t.Errorf("set %v after the wake-up moved the deadline", w.set)
	}
}
