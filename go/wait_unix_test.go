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
	set := func() time.Time { return time.Unix(0, w.set.Load()) }
	w.setDeadline(d)
	if !set().Equal(d) {
		t.Fatalf("first deadline: set %v, want %v", set(), d)
	}
	w.setDeadline(d.Add(50 * time.Millisecond))
	if !set().Equal(d) {
		t.Errorf("a deadline 50 ms later replaced the one set (%v)", set())
	}
	w.setDeadline(d.Add(500 * time.Millisecond))
	if !set().Equal(d.Add(500 * time.Millisecond)) {
		t.Errorf("a deadline 500 ms later kept the one set (%v)", set())
	}
	w.setDeadline(d)
	if !set().Equal(d) {
		t.Errorf("an earlier deadline kept a later one (%v): the wait would end late", set())
	}
}

// fakeCall stands for a started call on fd: it is done once fd has
// something to read (which it reads) or due has passed.
type fakeCall struct {
	fd    int
	due   time.Time
	steps int
}

func (s *fakeCall) step() bool {
	s.steps++
	var b [16]byte
	if n, _, _ := syscall.Recvfrom(s.fd, b[:], syscall.MSG_DONTWAIT); n > 0 {
		return true
	}
	return !time.Now().Before(s.due)
}

// TestFinishWaitsOutAKeptDeadlineThenItsOwn: a call whose kept deadline
// passes before it is due steps again, sets its own deadline and ends at it.
func TestFinishWaitsOutAKeptDeadlineThenItsOwn(t *testing.T) {
	w, _ := socketWaiter(t)
	kept := time.Now().Add(640 * time.Millisecond)
	w.setDeadline(kept)
	due := kept.Add(5 * time.Millisecond) // within a 64th of the wait: kept at first
	s := &fakeCall{fd: w.fd, due: due}
	start := time.Now()
	if err := w.finish(context.Background(), due, false, s); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 600*time.Millisecond || waited > 5*time.Second {
		t.Fatalf("finished after %v, want about 645 ms", waited)
	}
	if s.steps < 2 || s.steps > 4 {
		t.Errorf("%d steps, want one at once, one at each deadline", s.steps)
	}
}

// TestFinishWakesForAnAnswer: the socket's readiness wakes the wait, for an
// answer written while the call waits and for one written before it waits
// (after its first step: the netpoller's edge came before the wait).
func TestFinishWakesForAnAnswer(t *testing.T) {
	for _, early := range []bool{false, true} {
		w, peer := socketWaiter(t)
		s := &fakeCall{fd: w.fd, due: time.Now().Add(time.Minute)}
		var call stepper = s
		if early {
			call = &answeredInStep{s, peer}
		} else {
			go func() {
				time.Sleep(50 * time.Millisecond)
				_, _ = syscall.Write(peer, []byte("x"))
			}()
		}
		start := time.Now()
		if err := w.finish(context.Background(), s.due, false, call); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited > 10*time.Second {
			t.Fatalf("early=%v: finished after %v", early, waited)
		}
		if s.steps != 2 {
			t.Errorf("early=%v: %d steps, want 2 (before the answer, after it)", early, s.steps)
		}
	}
}

// answeredInStep is a fakeCall whose answer is written during its first
// step, after the step has looked for it.
type answeredInStep struct {
	*fakeCall
	peer int
}

func (a *answeredInStep) step() bool {
	done := a.fakeCall.step()
	if a.steps == 1 {
		_, _ = syscall.Write(a.peer, []byte("x"))
	}
	return done
}

// TestFinishYieldsOnceBeforeWaiting: with yield set, a step that finds
// nothing is followed by one more before the wait.
func TestFinishYieldsOnceBeforeWaiting(t *testing.T) {
	w, _ := socketWaiter(t)
	s := &fakeCall{fd: w.fd, due: time.Now().Add(100 * time.Millisecond)}
	if err := w.finish(context.Background(), s.due, true, s); err != nil {
		t.Fatal(err)
	}
	if s.steps < 3 {
		t.Errorf("%d steps, want at least 3 (at once, after the yield, at the deadline)", s.steps)
	}
}

// TestACancelledFinishForgetsItsDeadline: ctx's end wakes the wait by moving
// the deadline into the past; finish reports it, and the waiter no longer
// knows the deadline set.
func TestACancelledFinishForgetsItsDeadline(t *testing.T) {
	w, _ := socketWaiter(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	s := &fakeCall{fd: w.fd, due: time.Now().Add(time.Minute)}
	if err := w.finish(ctx, s.due, false, s); err != context.DeadlineExceeded {
		t.Fatalf("finish: %v, want the context's error", err)
	}
	if set := w.set.Load(); set != 0 {
		t.Errorf("set %v after the wake-up moved the deadline", time.Unix(0, set))
	}
}
