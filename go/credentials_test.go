package cognitoidentity

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// isolateCredentials points the shared files at an empty directory and unsets
// the credential variables (restored after the test), so only what a test
// sets is found. Not for parallel tests.
func isolateCredentials(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN"} {
		if old, ok := os.LookupEnv(k); ok {
			os.Unsetenv(k)
			t.Cleanup(func() { os.Setenv(k, old) })
		}
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return dir
}

// signedCallWith checks the client's credential source, then makes a signed call.
func signedCallWith(t *testing.T, cfg Config, source string) {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer c.Close()
	got, err := c.CredentialSource()
	if err != nil || got != source {
		t.Fatalf("CredentialSource() = %q, %v; want %q", got, err, source)
	}
	if _, err := c.ListIdentityPools(context.Background(), &ListIdentityPoolsInput{MaxResults: 1}); err != nil {
		t.Fatalf("a signed call with %s credentials: %v", source, err)
	}
}

func TestContainerCredentials(t *testing.T) {
	isolateCredentials(t)
	// The emulator serves the container endpoint and accepts the keys it hands out.
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint+"/_emulator/container-credentials")
	signedCallWith(t, Config{Region: "us-east-1", EndpointURL: endpoint}, "container-role")
}

func TestCredentialProcess(t *testing.T) {
	dir := isolateCredentials(t)
	script := filepath.Join(dir, "creds.sh")
	fail := filepath.Join(dir, "fail.sh")
	write := func(path, text string, mode os.FileMode) {
		if err := os.WriteFile(path, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(script, "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"test\", \"SecretAccessKey\": \"test\"}'\n", 0o700)
	write(fail, "#!/bin/sh\necho 'vault is sealed' >&2\nexit 3\n", 0o700)
	write(filepath.Join(dir, "config"), "[profile proc]\ncredential_process = "+script+
		"\n[profile broken]\ncredential_process = "+fail+"\n", 0o600)
	signedCallWith(t, Config{Region: "us-east-1", EndpointURL: endpoint, Profile: "proc"}, "custom-process (profile proc)")

	c, err := New(Config{Region: "us-east-1", EndpointURL: endpoint, Profile: "broken"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer c.Close()
	_, err = c.ListIdentityPools(context.Background(), &ListIdentityPoolsInput{MaxResults: 1})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeCredentialRetrieval || e.Status != StatusCredentials || e.Type != "Client" ||
		!strings.Contains(e.Message, "custom-process (profile broken)") || !strings.Contains(e.Message, "vault is sealed") {
		t.Fatalf("a failing credential_process: %#v", err)
	}
}

func TestNoCredentialsLeaveTheSourceEmpty(t *testing.T) {
	isolateCredentials(t)
	c, err := New(Config{Region: "us-east-1", EndpointURL: endpoint})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer c.Close()
	if got, err := c.CredentialSource(); got != "" || err != nil {
		t.Fatalf("CredentialSource() = %q, %v; want \"\"", got, err)
	}
	_, err = c.ListIdentityPools(context.Background(), &ListIdentityPoolsInput{MaxResults: 1})
	if !IsCode(err, CodeNoCredentials) {
		t.Fatalf("want NoCredentialsError, got %v", err)
	}
}
