package awsv2_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	cognitoidentity "github.com/cognito-identity/cognito-identity/go"
	"github.com/cognito-identity/cognito-identity/go/awsv2"
)

// startEmulator runs the project's emulator on a free port for this test.
func startEmulator(t *testing.T) string {
	t.Helper()
	if url := os.Getenv("COGNITO_IDENTITY_ENDPOINT"); url != "" {
		return url
	}
	bin := os.Getenv("COGNITO_IDENTITY_EMULATOR")
	if bin == "" {
		bin = filepath.Join("..", "..", "target", "debug", "cognito-identity-emulator")
	}
	cmd := exec.Command(bin, "--port", "0")
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		t.Fatalf("cannot start %s: %v (cargo build -p cognito-identity-emulator)", bin, err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.Contains(line, "listening on ") {
		t.Fatalf("the emulator said %q (%v)", line, err)
	}
	return strings.TrimSpace(line[strings.Index(line, "http"):])
}

func TestAnAwsSdkGoV2ClientSignsAsThePoolsRole(t *testing.T) {
	url := startEmulator(t)
	ctx := context.Background()
	admin, err := cognitoidentity.New(cognitoidentity.Config{Region: "us-east-1", EndpointURL: url,
		AccessKeyID: "test", SecretAccessKey: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	pool, err := admin.CreateIdentityPool(ctx, &cognitoidentity.CreateIdentityPoolInput{
		IdentityPoolName: "awsv2", AllowUnauthenticatedIdentities: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.SetIdentityPoolRoles(ctx, &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: pool.IdentityPoolId,
		Roles: map[string]string{"unauthenticated": "arn:aws:iam::123456789012:role/GoV2Guest"}})
	if err != nil {
		t.Fatal(err)
	}

	creds, err := cognitoidentity.NewIdentityPoolCredentials(cognitoidentity.IdentityPoolConfig{
		IdentityPoolID: pool.IdentityPoolId, NoDiskCache: true, Client: cognitoidentity.Config{EndpointURL: url}})
	if err != nil {
		t.Fatal(err)
	}
	defer creds.Close()
	provider := awsv2.New(creds)
	got, err := provider.Retrieve(ctx)
	if err != nil || got.Source != awsv2.Source || !got.CanExpire || got.Expires.IsZero() || got.SessionToken == "" {
		t.Fatalf("Retrieve: %+v, %v", got, err)
	}

	client := sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials:  aws.NewCredentialsCache(provider),
	})
	who, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	if want := "arn:aws:sts::123456789012:assumed-role/GoV2Guest/CognitoIdentityCredentials"; aws.ToString(who.Arn) != want {
		t.Fatalf("Arn = %q, want %q", aws.ToString(who.Arn), want)
	}
}
