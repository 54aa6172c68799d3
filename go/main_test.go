package cognitoidentity

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// endpoint is the URL of the emulator TestMain started (or of
// COGNITO_IDENTITY_ENDPOINT, when that names one already running).
var endpoint string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if url := os.Getenv("COGNITO_IDENTITY_ENDPOINT"); url != "" {
		endpoint = url
		return m.Run()
	}
	bin := os.Getenv("COGNITO_IDENTITY_EMULATOR")
	if bin == "" {
		bin = filepath.Join("..", "target", "debug", "cognito-identity-emulator")
	}
	cmd := exec.Command(bin, "--port", "0")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "cannot start the emulator %s: %v\n(build it with `cargo build -p cognito-identity-emulator`, or set COGNITO_IDENTITY_EMULATOR or COGNITO_IDENTITY_ENDPOINT)\n", bin, err)
		return 1
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	lines := bufio.NewScanner(stdout)
	const prefix = "cognito-identity-emulator listening on "
	got := make(chan string, 1)
	go func() {
		if lines.Scan() {
			got <- lines.Text()
		}
		close(got)
		for lines.Scan() { // keep draining so the emulator never blocks on stdout
		}
	}()
	select {
	case line := <-got:
		if !strings.HasPrefix(line, prefix) {
			fmt.Fprintf(os.Stderr, "unexpected first line from the emulator: %q\n", line)
			return 1
		}
		endpoint = strings.TrimSpace(strings.TrimPrefix(line, prefix))
	case <-time.After(30 * time.Second):
		fmt.Fprintln(os.Stderr, "the emulator did not start within 30s")
		return 1
	}
	return m.Run()
}

// testConfig is a client configuration for the emulator.
func testConfig() Config {
	return Config{
		Region:          "us-east-1",
		EndpointURL:     endpoint,
		AccessKeyID:     "test",
		SecretAccessKey: "test",
		InitialBackoff:  10 * time.Millisecond,
	}
}

func newClient(t testing.TB) *Client {
	t.Helper()
	c, err := New(testConfig())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// control calls one of the emulator's /_emulator endpoints.
func control(t testing.TB, method, path string, body any) {
	t.Helper()
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, strings.TrimRight(endpoint, "/")+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d", method, path, resp.StatusCode)
	}
}

// fault queues an injected fault and removes what is left of it at the end of the test.
type fault struct {
	Kind      string `json:"kind"`
	Count     int    `json:"count,omitempty"`
	Operation string `json:"operation,omitempty"`
	Status    int    `json:"status,omitempty"`
	DelayMS   int    `json:"delay_ms,omitempty"`
}

func injectFault(t testing.TB, f fault) {
	t.Helper()
	control(t, "POST", "/_emulator/faults", f)
	t.Cleanup(func() { control(t, "DELETE", "/_emulator/faults", nil) })
}

// createPool makes an identity pool with a Facebook app id and a developer
// provider, and deletes it at the end of the test.
func createPool(t testing.TB, c *Client, name string) *CreateIdentityPoolOutput {
	t.Helper()
	out, err := c.CreateIdentityPool(context.Background(), &CreateIdentityPoolInput{
		IdentityPoolName:               name,
		AllowUnauthenticatedIdentities: true,
		SupportedLoginProviders:        map[string]string{"graph.facebook.com": "123456789"},
		DeveloperProviderName:          "login.gotest",
	})
	if err != nil {
		t.Fatalf("CreateIdentityPool: %v", err)
	}
	t.Cleanup(func() {
		_, _ = c.DeleteIdentityPool(context.Background(), &DeleteIdentityPoolInput{IdentityPoolId: out.IdentityPoolId})
	})
	return out
}

func roleArn(name string) string { return "arn:aws:iam::123456789012:role/" + name }
