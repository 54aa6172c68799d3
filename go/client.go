package cognitoidentity

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include "cognito_identity.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"runtime"
	"sync"
	"time"
	"unsafe"
)

// Client is a Cognito Identity client backed by the Rust core through its C ABI.
//
// A Client is safe for concurrent use by many goroutines; share one per
// configuration (it keeps one connection pool). Call Close when done with it.
// A finalizer frees a forgotten client, but only when the garbage collector
// gets to it.
type Client struct {
	mu       sync.Mutex
	handle   *C.cognito_identity_client
	inflight int  // calls that still use handle, including abandoned ones
	closed   bool // Close was called; the handle is freed when inflight drops to 0
	conns    connections
}

// ErrClosed is returned by calls made after Close.
var ErrClosed = errors.New("cognitoidentity: client is closed")

// Version is the version of the linked C library.
func Version() string {
	return C.GoString(C.cognito_identity_version())
}

// New creates a client. Zero-valued Config fields take the SDK defaults, which
// include the usual AWS environment variables and shared config files.
func New(cfg Config) (*Client, error) {
	doc, err := cfg.toJSON()
	if err != nil {
		return nil, err
	}
	cdoc := C.CString(string(doc))
	defer C.free(unsafe.Pointer(cdoc))
	var handle *C.cognito_identity_client
	var cerr *C.char
	status := Status(C.cognito_identity_client_new(cdoc, &handle, &cerr))
	if status != StatusOK {
		msg := takeString(cerr)
		if handle != nil {
			C.cognito_identity_client_free(handle)
		}
		return nil, errorFromDocument(status, "", msg)
	}
	takeString(cerr) // in case the library sets it on success
	c := &Client{handle: handle}
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// Close frees the client. It is safe to call more than once and while calls
// are in flight: the handle is released when the last of them returns.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	runtime.SetFinalizer(c, nil)
	c.freeLocked()
	return nil
}

func (c *Client) freeLocked() {
	if c.inflight == 0 && c.handle != nil {
		C.cognito_identity_client_free(c.handle)
		c.handle = nil
		c.conns.closeAll()
	}
}

func (c *Client) acquire() (*C.cognito_identity_client, error) {
	handle, _, err := c.acquireCounting()
	return handle, err
}

// acquireCounting is acquire, also saying whether this call is the only one
// of the client in flight.
func (c *Client) acquireCounting() (*C.cognito_identity_client, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.handle == nil {
		return nil, false, ErrClosed
	}
	c.inflight++
	return c.handle, c.inflight == 1, nil
}

func (c *Client) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inflight--
	if c.closed {
		c.freeLocked()
	}
}

// Call invokes an operation by name (see Operations). in is marshalled to
// JSON (nil means no input members; a json.RawMessage or []byte is sent as
// is) and the result is unmarshalled into out (which may be nil, a pointer to
// an <Op>Output struct, a *map[string]any or a *json.RawMessage).
//
// A context deadline bounds the whole call, retries included. When ctx is
// cancelled or its deadline passes, Call returns promptly with an error for
// which errors.Is(err, ctx.Err()) holds; the C call then finishes on its own
// goroutine and its result is freed.
func (c *Client) Call(ctx context.Context, op string, in any, out any) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var input []byte
	switch v := in.(type) {
	case nil:
		input = []byte("{}")
	case json.RawMessage:
		input = v
	case []byte:
		input = v
	default:
		b, err := encodeInput(in)
		if err != nil {
			return &Error{Operation: op, Code: CodeInvalidArgument, Message: "cannot encode input: " + err.Error(), Type: "Client", Status: StatusInvalidArgument}
		}
		input = b
	}
	result, err := c.invoke(ctx, op, append(opArgs(op, len(input)), input...))
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := decodeResult(result, out); err != nil {
		return decodeFailed(op, err)
	}
	return nil
}

// callNew is Call for the generated methods: in is a generated input type
// (never nil) and out a new, empty output value, so neither is looked at
// through reflection first, and the result goes straight to the fast decoder.
func (c *Client) callNew(ctx context.Context, op string, in fastEncoder, out fastDecoder) error {
	if ctx == nil { // as Call: a nil context is context.Background()
		ctx = context.Background()
	}
	result, err := c.invoke(ctx, op, in.appendJSON(opArgs(op, 128)))
	if err != nil {
		return err
	}
	if decodeOutput(result, out) {
		return nil
	}
	// What the fast path stored is stored again from the same members; a
	// document that is not JSON is an error, and the caller drops out.
	if err := json.Unmarshal(unsafeBytes(result), out); err != nil {
		return decodeFailed(op, err)
	}
	return nil
}

// decodeFailed is the error of a result that does not decode into its output.
func decodeFailed(op string, err error) *Error {
	return &Error{Operation: op, Code: CodeResponseParser, Message: "cannot decode output: " + err.Error(), Type: "Client", Status: StatusInvalidResponse}
}

// decodeResult is json.Unmarshal(doc, out), faster for the generated output
// types (fastjson.go).
func decodeResult(doc string, out any) error {
	if d, ok := out.(fastDecoder); ok {
		// Only into an empty value: then what a failed fast path has stored is
		// what json.Unmarshal stores again, or (when doc is not JSON, and
		// json.Unmarshal stores nothing) undone by zeroing.
		v := reflect.ValueOf(out)
		if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().IsZero() {
			if decodeOutput(doc, d) {
				return nil
			}
			if !json.Valid(unsafeBytes(doc)) {
				v.Elem().SetZero()
			}
		}
	}
	return json.Unmarshal(unsafeBytes(doc), out)
}

type callResult struct {
	status Status
	doc    string // the result or error document: copied once from C memory, decoded in place
	ended  error  // ctx ended while the call waited: it was abandoned
}

// invoke runs one C call, bounded by ctx. args is opArgs(op, ...) with the
// input appended.
func (c *Client) invoke(ctx context.Context, op string, args []byte) (string, error) {
	args = append(args, 0) // the input's end
	if err := ctx.Err(); err != nil {
		return "", err
	}
	var timeoutMS uint64
	if deadline, ok := ctx.Deadline(); ok {
		left := time.Until(deadline)
		if left <= 0 {
			<-ctx.Done()
			return "", ctx.Err()
		}
		// Round up: the core's own deadline must not fire before ctx's.
		timeoutMS = uint64((left + time.Millisecond - 1) / time.Millisecond)
	}
	handle, alone, err := c.acquireCounting()
	if err != nil {
		return "", err
	}
	var r callResult
	if ctx.Done() == nil {
		r = c.run(ctx, handle, args, len(op)+1, timeoutMS, alone) // context that can never end: no goroutine needed
	} else {
		done := make(chan callResult, 1) // buffered: an abandoned call never blocks
		go func() { done <- c.run(ctx, handle, args, len(op)+1, timeoutMS, alone) }()
		select {
		case r = <-done:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	if r.ended != nil {
		return "", r.ended
	}
	if r.status == StatusOK {
		return r.doc, nil
	}
	e := errorFromDocument(r.status, op, r.doc)
	if ctxErr := ctx.Err(); ctxErr != nil {
		e.cause = ctxErr // the core's timer fired with ctx's: errors.Is(err, context.DeadlineExceeded)
	} else if deadline, ok := ctx.Deadline(); ok && e.Code == CodeDeadlineExceeded && !time.Now().Before(deadline) {
		// The core's timer, set from ctx's deadline (rounded up), fired before
		// Go ran the timer that cancels ctx: that one is due, so wait for it.
		<-ctx.Done()
		e.cause = ctx.Err()
	}
	return "", e
}

// run is roundTrip, then the handle's release.
func (c *Client) run(ctx context.Context, handle *C.cognito_identity_client, args []byte, inputAt int, timeoutMS uint64, alone bool) callResult {
	defer c.release()
	return c.roundTrip(ctx, handle, args, inputAt, timeoutMS, alone)
}

// roundTrip makes the call in short C calls around waits in Go's netpoller:
// start writes the request and says which connection to wait on, a step
// reads what has arrived (and completes the call once the answer is all
// there). A C call that blocked for the answer instead would hold its
// thread, and Go's scheduler hands a blocked thread's processor to another
// thread after 20 µs: with one processor, at every call. A retry's backoff
// is a timer here, not a thread asleep in C, and its next attempt is waited
// for as the first. When ctx ends during a wait the call is abandoned (its
// connection closed). Before its first wait, a call alone in its client
// whose server is on loopback yields the CPU once (yield_linux.go). args
// holds the operation's name and, from inputAt, the input (opArgs).
func (c *Client) roundTrip(ctx context.Context, handle *C.cognito_identity_client, args []byte, inputAt int, timeoutMS uint64, alone bool) callResult {
	call := &splitCall{}
	cop, cin := (*C.char)(unsafe.Pointer(&args[0])), (*C.char)(unsafe.Pointer(&args[inputAt]))
	call.status = Status(C.cognito_identity_call_start(handle, cop, cin, C.uint64_t(timeoutMS), &call.pending, &call.wait, &call.out))
	// Step first, wait when it asks: the answer is often there by the time
	// start returns (the server answered while this goroutine was
	// scheduled), and then the call costs no wait. Only a call that is alone
	// in its client yields: the yield keeps the processor, which other calls
	// in flight would rather have.
	yield := alone
	for {
		if call.wait.closed > 0 {
			c.conns.release(handle)
		}
		if call.pending == nil {
			return callResult{status: call.status, doc: takeString(call.out)}
		}
		var err error
		if call.wait.fd < 0 {
			err = call.backoff(ctx)
		} else {
			conn := c.conns.get(handle, uint64(call.wait.connection), int(call.wait.fd))
			deadline := time.Now().Add(waitLimit(uint64(call.wait.wait_ms)))
			err = conn.finish(ctx, deadline, yield && conn.local, call)
			yield = false
		}
		if err != nil {
			C.cognito_identity_pending_free(call.pending)
			return callResult{ended: err}
		}
	}
}

// splitCall is a started call: what cognito_identity_call_step updates.
// (One allocation: captured by a closure instead, each variable was one.)
type splitCall struct {
	pending *C.cognito_identity_pending
	out     *C.char
	wait    C.cognito_identity_wait
	status  Status
}

// step steps the call as far as it goes without waiting; true once the
// wait on its connection is over: the call is done, or its attempt failed
// and it waits to retry (the connection is then no longer the call's).
func (s *splitCall) step() bool {
	s.status = Status(C.cognito_identity_call_step(&s.pending, &s.wait, &s.out))
	return s.pending == nil || s.wait.fd < 0
}

// backoff waits out a retry's backoff, then steps the call, which sends the
// next attempt (again, while an attempt fails before its wait). Only ctx's
// end is an error.
func (s *splitCall) backoff(ctx context.Context) error {
	for s.pending != nil && s.wait.fd < 0 {
		timer := time.NewTimer(waitLimit(uint64(s.wait.wait_ms)))
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		}
		s.step()
	}
	return nil
}

// waitLimit is wait_ms as a Duration, capped where a Duration would
// overflow (a read timeout of centuries is a wait without end).
func waitLimit(ms uint64) time.Duration {
	const most = uint64(1<<62) / uint64(time.Millisecond)
	if ms > most {
		ms = most
	}
	return time.Duration(ms) * time.Millisecond
}

// CredentialSource says where the client's credentials come from, as botocore
// names the method, with the profile: "env", "assume-role (profile dev)",
// "custom-process (profile p)", "container-role", "iam-role" (instance
// metadata, named once it has served credentials), ... It is "" when the
// client has none (then only the unsigned operations work). Never a secret.
func (c *Client) CredentialSource() (string, error) {
	handle, err := c.acquire()
	if err != nil {
		return "", err
	}
	defer c.release()
	var cout *C.char
	status := Status(C.cognito_identity_client_describe(handle, &cout))
	doc := takeString(cout)
	if status != StatusOK {
		return "", errorFromDocument(status, "", doc)
	}
	var d struct {
		CredentialSource *string `json:"credential_source"`
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return "", &Error{Code: CodeResponseParser, Message: "cannot decode the client description: " + err.Error(), Type: "Client", Status: StatusInvalidResponse}
	}
	if d.CredentialSource == nil {
		return "", nil
	}
	return *d.CredentialSource, nil
}

// opArgs starts a call's arguments: op and its NUL, with room for an input
// of about room bytes and its NUL, which the caller appends (invoke adds the
// NUL; a NUL inside the input ends it there, as with C.CString). Go memory:
// the core reads them only during cognito_identity_call_start, and cgo keeps
// memory that holds no Go pointer valid for a C call, so a call makes no C
// allocation for them (C.malloc and C.free were two more cgo calls).
func opArgs(op string, room int) []byte {
	b := make([]byte, 0, len(op)+1+room+1)
	return append(append(b, op...), 0)
}

// takeString copies an owned C string into Go memory and frees it.
func takeString(s *C.char) string {
	if s == nil {
		return ""
	}
	defer C.cognito_identity_string_free(s)
	return C.GoString(s)
}
