package cognitoidentity

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is an io.Writer safe for the goroutines that log.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestSetLoggerReceivesRetriesAndCredentialRecordsWithoutSecrets(t *testing.T) {
	out := &lockedBuffer{}
	if err := SetLogger(slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))); err != nil {
		t.Fatal(err)
	}
	defer SetLogger(nil)
	cfg := testConfig()
	cfg.SessionToken = "CANARY-GO-TOKEN-0123456789"
	cfg.InitialBackoff = 1000 // 1 µs
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	injectFault(t, fault{Kind: "status", Status: 503, Operation: "ListIdentityPools"})
	if _, err := c.ListIdentityPools(context.Background(), &ListIdentityPoolsInput{MaxResults: 1}); err != nil {
		t.Fatalf("ListIdentityPools after a 503: %v", err)
	}
	text := out.String()
	for _, want := range []string{"retrying ListIdentityPools: ServiceUnavailableException", "target=cognito_identity::retries",
		"credentials from explicit", "response received", "level=DEBUG", "level=INFO"} {
		if !strings.Contains(text, want) {
			t.Fatalf("no %q in the records:\n%s", want, text)
		}
	}
	if strings.Contains(text, "CANARY") {
		t.Fatalf("a secret was logged:\n%s", text)
	}

	if err := SetLogger(nil); err != nil {
		t.Fatal(err)
	}
	before := len(out.String())
	if _, err := c.ListIdentityPools(context.Background(), &ListIdentityPoolsInput{MaxResults: 1}); err != nil {
		t.Fatal(err)
	}
	if len(out.String()) != before {
		t.Fatal("records arrived after SetLogger(nil)")
	}
}
