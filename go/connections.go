package cognitoidentity

/*
#include <stdint.h>
#include "cognito_identity.h"
#ifdef _WIN32
static int cognito_identity_go_poll(int fd, int ms) { (void)fd; (void)ms; return 1; }
#else
#include <poll.h>
static int cognito_identity_go_poll(int fd, int ms) {
	struct pollfd p = {fd, POLLIN, 0};
	return poll(&p, 1, ms);
}
#endif
*/
import "C"

import (
	"context"
	"sync"
	"time"
)

// connections keeps, per connection of the core that served a split call,
// what waiting on it needs (the netpoller's registration of a duplicate of
// its socket), so that a call costs no registration: measured on the bench's
// nginx, pinned, a registration per call (dup, fcntl, two epoll_ctl, close,
// and an *os.File for the garbage collector) cost 30 µs of a 129 µs call.
// An entry lives as long as its connection: the core counts the
// connections it has closed at every start, and they are released at the
// next call (cognito_identity_client_closed_connections), and all of them
// with the client.
type connections struct {
	mu   sync.Mutex
	byID map[uint64]*waiter
	ids  [64]C.uint64_t // scratch for the closed ids, under mu
}

// get gives the waiter of connection id, whose socket is fd.
func (cs *connections) get(handle *C.cognito_identity_client, id uint64, fd int) *waiter {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if w, ok := cs.byID[id]; ok {
		return w
	}
	w := newWaiter(fd)
	if cs.byID == nil {
		cs.byID = map[uint64]*waiter{}
	}
	cs.byID[id] = w
	return w
}

// release lets go of the connections the core has closed (their duplicate
// descriptors would otherwise keep the sockets open).
func (cs *connections) release(handle *C.cognito_identity_client) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for {
		n := int(C.cognito_identity_client_closed_connections(handle, &cs.ids[0], C.size_t(len(cs.ids))))
		for _, closed := range cs.ids[:n] {
			if w, ok := cs.byID[uint64(closed)]; ok {
				w.close()
				delete(cs.byID, uint64(closed))
			}
		}
		if n < len(cs.ids) {
			return
		}
	}
}

// closeAll releases every entry (the client is freed).
func (cs *connections) closeAll() {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for id, w := range cs.byID {
		w.close()
		delete(cs.byID, id)
	}
}

// stepper is a started call: step takes it as far as the answer allows
// (one cognito_identity_call_step) and reports whether its wait on the
// connection is over: the call is done, or waits to retry.
type stepper interface {
	step() bool
}

// finishPolling is waiter.finish where the netpoller cannot wait on the
// socket: between the steps, poll(2) in a blocking C call.
func finishPolling(ctx context.Context, fd int, deadline time.Time, yield bool, call stepper) error {
	for !stepYielding(call, &yield) {
		pollReadable(fd, deadline)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// stepYielding steps call and, when that did not finish it and *yield is
// set, yields the CPU once (clearing *yield) and steps again: the steps
// before a call's first wait.
func stepYielding(call stepper, yield *bool) bool {
	if call.step() {
		return true
	}
	if !*yield {
		return false
	}
	*yield = false
	yieldToLocalServer()
	return call.step()
}

// pollReadable waits in poll(2), in a blocking C call, until fd is readable
// or deadline has passed: for where the netpoller cannot wait on it. (That
// wait holds a thread, and a ctx cancelled meanwhile is seen only after it.)
func pollReadable(fd int, deadline time.Time) {
	left := time.Until(deadline)
	if left <= 0 {
		return
	}
	ms := (left + time.Millisecond - 1).Milliseconds() // rounded up: no early return to spin on
	if ms > 1<<30 {
		ms = 1 << 30
	}
	C.cognito_identity_go_poll(C.int(fd), C.int(ms))
}
