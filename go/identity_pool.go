package cognitoidentity

/*
#include <stdlib.h>
#include <stdint.h>
#include "cognito_identity.h"

// Defined in callbacks.c: calls the exported goLoginsCallback.
const char *cognito_go_logins_trampoline(void *user_data);
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"
)

// IdentityPoolConfig configures an identity-pool credentials provider.
type IdentityPoolConfig struct {
	IdentityPoolID string // required, e.g. "us-east-1:00000000-0000-0000-0000-000000000000"

	// Logins maps a provider name to a fixed token ("accounts.google.com": "eyJ...").
	Logins map[string]string
	// LoginTokens maps a provider name to a function asked for its token on
	// every refresh, so that a token the application refreshed is the one
	// sent. It is called from the goroutine that called Retrieve.
	LoginTokens map[string]func() (string, error)

	CustomRoleARN string // enhanced flow: the role to assume

	// Classic selects the classic (basic) flow: GetOpenIdToken, then STS
	// AssumeRoleWithWebIdentity for RoleARN (the pool must allow it).
	Classic         bool
	RoleARN         string
	RoleSessionName string
	STSEndpointURL  string

	// CacheDir holds the identity-id cache (default $XDG_CACHE_HOME/cognito-identity,
	// else ~/.cache/cognito-identity); NoDiskCache keeps it in memory.
	CacheDir         string
	NoDiskCache      bool
	CacheCredentials bool // keep the credentials on disk too

	// AdvisoryRefresh (default 15m): one caller refreshes, a failure keeps the
	// valid credentials. MandatoryRefresh (default 10m): callers wait for the
	// refresh and get its error.
	AdvisoryRefresh  time.Duration
	MandatoryRefresh time.Duration

	// Client settings for the Cognito calls: Region (default: the pool id's
	// region), EndpointURL, timeouts, retries, CABundle. Credentials must be
	// empty: the calls are unsigned.
	Client Config
}

func (c IdentityPoolConfig) toJSON() ([]byte, error) {
	if c.AdvisoryRefresh < 0 || c.MandatoryRefresh < 0 {
		return nil, &Error{Code: CodeInvalidConfig, Message: "refresh windows must not be negative", Type: "Client", Status: StatusConfiguration}
	}
	doc, err := c.Client.toJSON()
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(doc, &m); err != nil {
		return nil, err
	}
	m["identity_pool_id"] = c.IdentityPoolID
	str := func(key, v string) {
		if v != "" {
			m[key] = v
		}
	}
	if len(c.Logins) > 0 {
		m["logins"] = c.Logins
	}
	str("custom_role_arn", c.CustomRoleARN)
	if c.Classic {
		m["flow"] = "classic"
	}
	str("role_arn", c.RoleARN)
	str("role_session_name", c.RoleSessionName)
	str("sts_endpoint_url", c.STSEndpointURL)
	str("cache_dir", c.CacheDir)
	if c.NoDiskCache {
		m["cache_dir"] = false
	}
	if c.CacheCredentials {
		m["cache_credentials"] = true
	}
	if c.AdvisoryRefresh > 0 {
		m["advisory_refresh_seconds"] = c.AdvisoryRefresh.Seconds()
	}
	if c.MandatoryRefresh > 0 {
		m["mandatory_refresh_seconds"] = c.MandatoryRefresh.Seconds()
	}
	return json.Marshal(m)
}

// PoolCredentials are temporary AWS credentials of an identity. String and
// GoString never show the secret key or the session token.
type PoolCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expires         time.Time
	IdentityID      string
}

func (c PoolCredentials) String() string {
	return fmt.Sprintf("PoolCredentials{AccessKeyID:%s SecretAccessKey:%s SessionToken:%s Expires:%s IdentityID:%s}",
		c.AccessKeyID, redactString(c.SecretAccessKey), redactString(c.SessionToken), c.Expires.Format(time.RFC3339), c.IdentityID)
}

// GoString is String, so that %#v does not print secrets either.
func (c PoolCredentials) GoString() string { return c.String() }

// IdentityPoolCredentials gives temporary AWS credentials from a Cognito
// identity pool and refreshes them before they expire. It is safe for
// concurrent use: one refresh runs at a time. Close releases it.
type IdentityPoolCredentials struct {
	mu       sync.Mutex
	handle   *C.cognito_identity_credentials
	inflight int
	closed   bool
	logins   *loginsState // nil without LoginTokens
}

// loginsState is what the C callback reaches through a cgo.Handle: the
// token functions and the last JSON string handed to C (kept alive until the
// next call, as the C contract wants).
type loginsState struct {
	mu       sync.Mutex
	fixed    map[string]string
	funcs    map[string]func() (string, error)
	last     *C.char
	lastErr  error
	handle   cgo.Handle
	userData unsafe.Pointer // C memory holding the handle
}

// NewIdentityPoolCredentials creates the provider; nothing is fetched until Retrieve.
func NewIdentityPoolCredentials(cfg IdentityPoolConfig) (*IdentityPoolCredentials, error) {
	doc, err := cfg.toJSON()
	if err != nil {
		return nil, err
	}
	cdoc := C.CString(string(doc))
	defer C.free(unsafe.Pointer(cdoc))
	var handle *C.cognito_identity_credentials
	var cerr *C.char
	status := Status(C.cognito_identity_credentials_new(cdoc, &handle, &cerr))
	if status != StatusOK {
		return nil, errorFromDocument(status, "", takeString(cerr))
	}
	takeString(cerr)
	p := &IdentityPoolCredentials{handle: handle}
	if len(cfg.LoginTokens) > 0 {
		s := &loginsState{fixed: cfg.Logins, funcs: cfg.LoginTokens}
		s.handle = cgo.NewHandle(s)
		s.userData = C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0))))
		*(*C.uintptr_t)(s.userData) = C.uintptr_t(s.handle)
		C.cognito_identity_credentials_set_logins_callback(handle,
			C.cognito_identity_logins_callback(C.cognito_go_logins_trampoline), s.userData)
		p.logins = s
	}
	runtime.SetFinalizer(p, (*IdentityPoolCredentials).Close)
	return p, nil
}

//export goLoginsCallback
func goLoginsCallback(userData unsafe.Pointer) *C.char {
	s := cgo.Handle(*(*C.uintptr_t)(userData)).Value().(*loginsState)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last != nil {
		C.free(unsafe.Pointer(s.last))
		s.last = nil
	}
	s.lastErr = nil
	logins := make(map[string]string, len(s.fixed)+len(s.funcs))
	for k, v := range s.fixed {
		logins[k] = v
	}
	for provider, f := range s.funcs {
		token, err := f()
		if err != nil {
			s.lastErr = fmt.Errorf("login token for %s: %w", provider, err)
			return nil
		}
		logins[provider] = token
	}
	doc, err := json.Marshal(logins)
	if err != nil {
		s.lastErr = err
		return nil
	}
	s.last = C.CString(string(doc))
	return s.last
}

func (p *IdentityPoolCredentials) acquire() (*C.cognito_identity_credentials, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.handle == nil {
		return nil, ErrClosed
	}
	p.inflight++
	return p.handle, nil
}

func (p *IdentityPoolCredentials) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight--
	if p.closed {
		p.freeLocked()
	}
}

func (p *IdentityPoolCredentials) freeLocked() {
	if p.inflight != 0 || p.handle == nil {
		return
	}
	C.cognito_identity_credentials_free(p.handle)
	p.handle = nil
	if s := p.logins; s != nil {
		s.mu.Lock()
		if s.last != nil {
			C.free(unsafe.Pointer(s.last))
			s.last = nil
		}
		s.mu.Unlock()
		C.free(s.userData)
		s.handle.Delete()
	}
}

// Close releases the provider; calls still running finish first. Safe to call twice.
func (p *IdentityPoolCredentials) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		runtime.SetFinalizer(p, nil)
		p.freeLocked()
	}
	return nil
}

// Retrieve returns the credentials: the held ones, or fresh ones when a
// refresh is due. Cancelling ctx returns at once (the refresh goes on and
// serves the next call).
func (p *IdentityPoolCredentials) Retrieve(ctx context.Context) (PoolCredentials, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return PoolCredentials{}, err
	}
	handle, err := p.acquire()
	if err != nil {
		return PoolCredentials{}, err
	}
	done := make(chan callResult, 1)
	go func() {
		defer p.release()
		var cout *C.char
		status := Status(C.cognito_identity_credentials_get(handle, &cout))
		done <- callResult{status: status, doc: takeString(cout)}
	}()
	var r callResult
	select {
	case r = <-done:
	case <-ctx.Done():
		return PoolCredentials{}, ctx.Err()
	}
	if r.status != StatusOK {
		e := errorFromDocument(r.status, "", r.doc)
		if s := p.logins; s != nil && e.Code == "LoginsError" {
			s.mu.Lock()
			e.cause = s.lastErr
			s.mu.Unlock()
		}
		return PoolCredentials{}, e
	}
	var d struct {
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string `json:"SecretAccessKey"`
		SessionToken    string `json:"SessionToken"`
		Expiration      string `json:"Expiration"`
		IdentityID      string `json:"IdentityId"`
	}
	if err := json.Unmarshal(unsafeBytes(r.doc), &d); err != nil {
		return PoolCredentials{}, &Error{Code: CodeResponseParser, Message: "cannot decode the credentials: " + err.Error(), Type: "Client", Status: StatusInvalidResponse}
	}
	expires, err := time.Parse(time.RFC3339, d.Expiration)
	if err != nil {
		return PoolCredentials{}, &Error{Code: CodeResponseParser, Message: "cannot decode the expiration: " + err.Error(), Type: "Client", Status: StatusInvalidResponse}
	}
	return PoolCredentials{AccessKeyID: d.AccessKeyID, SecretAccessKey: d.SecretAccessKey, SessionToken: d.SessionToken,
		Expires: expires, IdentityID: d.IdentityID}, nil
}

// IdentityID is the identity id held now ("" before the first Retrieve or after Clear).
func (p *IdentityPoolCredentials) IdentityID() (string, error) {
	handle, err := p.acquire()
	if err != nil {
		return "", err
	}
	defer p.release()
	var cout *C.char
	status := Status(C.cognito_identity_credentials_describe(handle, &cout))
	doc := takeString(cout)
	if status != StatusOK {
		return "", errorFromDocument(status, "", doc)
	}
	var d struct {
		IdentityID *string `json:"identity_id"`
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil || d.IdentityID == nil {
		return "", err
	}
	return *d.IdentityID, nil
}

// SetLogins replaces the fixed logins (sign-in): the held credentials are
// dropped, and a guest identity held is linked to the logins. Token
// functions given at creation keep being asked.
func (p *IdentityPoolCredentials) SetLogins(logins map[string]string) error {
	handle, err := p.acquire()
	if err != nil {
		return err
	}
	defer p.release()
	if s := p.logins; s != nil {
		s.mu.Lock()
		s.fixed = logins
		s.mu.Unlock()
		C.cognito_identity_credentials_set_logins_callback(handle,
			C.cognito_identity_logins_callback(C.cognito_go_logins_trampoline), s.userData)
		return nil
	}
	doc, err := json.Marshal(logins)
	if err != nil {
		return err
	}
	cdoc := C.CString(string(doc))
	defer C.free(unsafe.Pointer(cdoc))
	if status := Status(C.cognito_identity_credentials_set_logins(handle, cdoc)); status != StatusOK {
		return &Error{Code: CodeInvalidArgument, Message: "logins were refused", Type: "Client", Status: status}
	}
	return nil
}

// Clear forgets the identity id (in memory and on disk) and the credentials: sign-out.
func (p *IdentityPoolCredentials) Clear() error {
	handle, err := p.acquire()
	if err != nil {
		return err
	}
	defer p.release()
	C.cognito_identity_credentials_clear(handle)
	return nil
}
