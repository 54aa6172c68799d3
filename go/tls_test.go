package cognitoidentity

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// httptest's TLS server: its certificate is its own CA's, which no CA bundle
// trusts (webpki refuses a CA certificate as the server's).
func TestInsecureSkipVerify(t *testing.T) {
	isolateCredentials(t)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = io.WriteString(w, `{"IdentityPools": []}`)
	}))
	defer srv.Close()
	call := func(insecure bool) error {
		c, err := New(Config{Region: "us-east-1", EndpointURL: srv.URL, AccessKeyID: "test", SecretAccessKey: "test",
			MaxAttempts: 1, InsecureSkipVerify: insecure})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		defer c.Close()
		_, err = c.ListIdentityPools(context.Background(), &ListIdentityPoolsInput{MaxResults: 1})
		return err
	}
	var e *Error
	if err := call(false); !errors.As(err, &e) || e.Code != CodeSSL || !strings.Contains(e.Message, "certificate was refused") {
		t.Fatalf("an untrusted certificate: %#v", err)
	}
	if err := call(true); err != nil {
		t.Fatalf("InsecureSkipVerify: %v", err)
	}
}
