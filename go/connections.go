package cognitoidentity

/*
#include <stdint.h>
#include "cognito_identity.h"
*/
import "C"

import "sync"

// connections keeps, per connection of the core that served a split call,
// what waiting on it needs (the netpoller's registration of a duplicate of
// its socket), so that a call costs no registration: measured on the bench's
// nginx, pinned, a registration per call (dup, fcntl, two epoll_ctl, close,
// and an *os.File for the garbage collector) cost 30 µs of a 129 µs call.
// An entry lives as long as its connection: the core lists the connections
// it has closed (cognito_identity_client_closed_connections), and they are
// released whenever a new connection shows up, and all of them with the
// client.
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
	// A connection not seen before: a good time to release the closed ones.
	for {
		n := int(C.cognito_identity_client_closed_connections(handle, &cs.ids[0], C.size_t(len(cs.ids))))
		for _, closed := range cs.ids[:n] {
			if w, ok := cs.byID[uint64(closed)]; ok {
				w.close()
				delete(cs.byID, uint64(closed))
			}
		}
		if n < len(cs.ids) {
			break
		}
	}
	w := newWaiter(fd)
	if cs.byID == nil {
		cs.byID = map[uint64]*waiter{}
	}
	cs.byID[id] = w
	return w
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
