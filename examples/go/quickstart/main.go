// Quick start: create an identity pool with roles, get an identity, its AWS
// credentials and an OpenID token. It prints ids and expirations, never a
// secret.
//
//	cargo build -p cognito-identity-ffi -p cognito-identity-emulator
//	target/debug/cognito-identity-emulator --port 4566 &
//	cd examples/go/quickstart
//	COGNITO_IDENTITY_ENDPOINT=http://127.0.0.1:4566 go run .
//
// With no COGNITO_IDENTITY_ENDPOINT it talks to AWS with your usual
// credentials and region (and creates a real pool, which it deletes again).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	ci "github.com/cognito-identity/cognito-identity/go"
)

func main() {
	if err := run(); err != nil {
		var e *ci.Error
		if errors.As(err, &e) {
			fmt.Fprintf(os.Stderr, "failed: %s (code %s, HTTP %d, request id %q)\n", e.Message, e.Code, e.HTTPStatusCode, e.RequestID)
		} else {
			fmt.Fprintln(os.Stderr, "failed:", err)
		}
		os.Exit(1)
	}
}

func run() error {
	cfg := ci.Config{Region: os.Getenv("AWS_REGION")}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if endpoint := os.Getenv("COGNITO_IDENTITY_ENDPOINT"); endpoint != "" {
		cfg.EndpointURL = endpoint
		if os.Getenv("AWS_ACCESS_KEY_ID") == "" {
			cfg.AccessKeyID, cfg.SecretAccessKey = "test", "test" // the emulator's default key
		}
	}
	client, err := ci.New(cfg)
	if err != nil {
		return err
	}
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	pool, err := client.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{
		IdentityPoolName:               "go_quickstart",
		AllowUnauthenticatedIdentities: true,
	})
	if err != nil {
		return err
	}
	defer client.DeleteIdentityPool(context.Background(), &ci.DeleteIdentityPoolInput{IdentityPoolId: pool.IdentityPoolId}) //nolint:errcheck
	fmt.Println("identity pool:", pool.IdentityPoolId)

	_, err = client.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{
		IdentityPoolId: pool.IdentityPoolId,
		Roles: map[string]string{
			"authenticated":   "arn:aws:iam::123456789012:role/quickstart-authenticated",
			"unauthenticated": "arn:aws:iam::123456789012:role/quickstart-guest",
		},
	})
	if err != nil {
		return err
	}

	id, err := client.GetId(ctx, &ci.GetIdInput{IdentityPoolId: pool.IdentityPoolId})
	if err != nil {
		return err
	}
	fmt.Println("identity id:  ", id.IdentityId)

	creds, err := client.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId})
	if err != nil {
		return err
	}
	// The keys themselves are secrets: only their expiration is printed.
	fmt.Println("expires:      ", creds.Credentials.Expiration.UTC().Format(time.RFC3339),
		fmt.Sprintf("(in %s)", time.Until(creds.Credentials.Expiration).Round(time.Second)))

	token, err := client.GetOpenIdToken(ctx, &ci.GetOpenIdTokenInput{IdentityId: id.IdentityId})
	if err != nil {
		return err
	}
	fmt.Printf("OpenID token: %d characters for %s\n", len(token.Token), token.IdentityId)
	return nil
}
