package cognitoidentity

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// poolWithRoles makes a pool that allows guests and Facebook logins, with roles.
func poolWithRoles(t *testing.T, c *Client) string {
	t.Helper()
	pool := createPool(t, c, "go_provider").IdentityPoolId
	_, err := c.SetIdentityPoolRoles(context.Background(), &SetIdentityPoolRolesInput{
		IdentityPoolId: pool,
		Roles:          map[string]string{"unauthenticated": roleArn("GoGuest"), "authenticated": roleArn("GoUser")},
	})
	if err != nil {
		t.Fatalf("SetIdentityPoolRoles: %v", err)
	}
	return pool
}

func TestIdentityPoolCredentialsForAGuest(t *testing.T) {
	c := newClient(t)
	pool := poolWithRoles(t, c)
	p, err := NewIdentityPoolCredentials(IdentityPoolConfig{IdentityPoolID: pool, NoDiskCache: true, Client: Config{EndpointURL: endpoint}})
	if err != nil {
		t.Fatalf("NewIdentityPoolCredentials: %v", err)
	}
	defer p.Close()
	if id, err := p.IdentityID(); id != "" || err != nil {
		t.Fatalf("IdentityID before Retrieve = %q, %v", id, err)
	}
	first, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("Retrieve: %v", err)
	}
	if !strings.HasPrefix(first.AccessKeyID, "ASIA") || first.SessionToken == "" || time.Until(first.Expires) < 30*time.Minute ||
		!strings.HasPrefix(first.IdentityID, "us-east-1:") {
		t.Fatalf("unexpected credentials %v", first)
	}
	if shown := fmt.Sprintf("%v %#v", first, first); strings.Contains(shown, first.SecretAccessKey) || strings.Contains(shown, first.SessionToken) {
		t.Fatalf("a secret shows: %s", shown)
	}
	again, err := p.Retrieve(context.Background())
	if err != nil || again != first {
		t.Fatalf("fresh credentials are reused: %v, %v", again, err)
	}
	if id, _ := p.IdentityID(); id != first.IdentityID {
		t.Fatalf("IdentityID() = %q, want %q", id, first.IdentityID)
	}
	if err := p.Clear(); err != nil {
		t.Fatal(err)
	}
	if id, _ := p.IdentityID(); id != "" {
		t.Fatalf("IdentityID after Clear = %q", id)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Retrieve(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled context: %v", err)
	}
	p.Close()
	if _, err := p.Retrieve(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

func TestIdentityPoolLoginTokensAreAskedOnEveryRefresh(t *testing.T) {
	c := newClient(t)
	pool := poolWithRoles(t, c)
	var asked atomic.Int32
	p, err := NewIdentityPoolCredentials(IdentityPoolConfig{
		IdentityPoolID: pool,
		LoginTokens: map[string]func() (string, error){
			"graph.facebook.com": func() (string, error) { asked.Add(1); return "go-user-1", nil },
		},
		NoDiskCache: true,
		Client:      Config{EndpointURL: endpoint},
	})
	if err != nil {
		t.Fatalf("NewIdentityPoolCredentials: %v", err)
	}
	defer p.Close()
	creds, err := p.Retrieve(context.Background())
	if err != nil || asked.Load() != 1 {
		t.Fatalf("Retrieve: %v (token asked %d times)", err, asked.Load())
	}
	desc, err := c.DescribeIdentity(context.Background(), &DescribeIdentityInput{IdentityId: creds.IdentityID})
	if err != nil || len(desc.Logins) != 1 || desc.Logins[0] != "graph.facebook.com" {
		t.Fatalf("DescribeIdentity: %+v, %v", desc, err)
	}

	sentinel := errors.New("session expired")
	failing, err := NewIdentityPoolCredentials(IdentityPoolConfig{
		IdentityPoolID: pool,
		LoginTokens:    map[string]func() (string, error){"graph.facebook.com": func() (string, error) { return "", sentinel }},
		NoDiskCache:    true,
		Client:         Config{EndpointURL: endpoint},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer failing.Close()
	if _, err := failing.Retrieve(context.Background()); !errors.Is(err, sentinel) {
		t.Fatalf("the token function's error: %v", err)
	}
}

func TestIdentityPoolConfigErrorsNameTheKey(t *testing.T) {
	_, err := NewIdentityPoolCredentials(IdentityPoolConfig{IdentityPoolID: "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", Classic: true})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInvalidConfig || !strings.Contains(e.Message, "role_arn") {
		t.Fatalf("classic flow without a role: %v", err)
	}
	_, err = NewIdentityPoolCredentials(IdentityPoolConfig{IdentityPoolID: "nope"})
	if !errors.As(err, &e) || e.Code != CodeParamValidation {
		t.Fatalf("a bad pool id: %v", err)
	}
}
