package cognitoidentity

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// A forward proxy on loopback that answers itself and records each request's
// target: absolute-form ("http://host/") when the client uses it as a proxy.
func newProxy(t *testing.T) (*httptest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.RequestURI)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = io.WriteString(w, `{"IdentityPools": []}`)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

func TestConfiguredProxyGetsAbsoluteFormRequests(t *testing.T) {
	isolateCredentials(t)
	proxy, seen := newProxy(t)
	c, err := New(Config{Region: "us-east-1", EndpointURL: "http://cognito-identity.test",
		AccessKeyID: "test", SecretAccessKey: "test", MaxAttempts: 1, Proxies: map[string]string{"http": proxy.URL}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer c.Close()
	if _, err := c.ListIdentityPools(context.Background(), &ListIdentityPoolsInput{MaxResults: 5}); err != nil {
		t.Fatalf("through the proxy: %v", err)
	}
	if got := seen(); len(got) != 1 || got[0] != "POST http://cognito-identity.test/" {
		t.Fatalf("the proxy saw %q", got)
	}
}

func TestEnvironmentProxy(t *testing.T) {
	isolateCredentials(t)
	proxy, seen := newProxy(t)
	t.Setenv("HTTP_PROXY", proxy.URL)
	c, err := New(Config{Region: "us-east-1", EndpointURL: "http://cognito-identity.test",
		AccessKeyID: "test", SecretAccessKey: "test", MaxAttempts: 1})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer c.Close()
	if _, err := c.ListIdentityPools(context.Background(), &ListIdentityPoolsInput{MaxResults: 5}); err != nil {
		t.Fatalf("through HTTP_PROXY: %v", err)
	}
	if got := seen(); len(got) != 1 {
		t.Fatalf("the proxy saw %q", got)
	}
}

func TestBadProxyIsNamed(t *testing.T) {
	_, err := New(Config{Region: "us-east-1", Proxies: map[string]string{"ftp": "http://127.0.0.1:1"}})
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusConfiguration || !strings.Contains(e.Message, "proxies.ftp") {
		t.Fatalf("a proxy for scheme ftp: %#v", err)
	}
}
