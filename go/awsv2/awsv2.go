// Package awsv2 adapts cognitoidentity.IdentityPoolCredentials to
// aws-sdk-go-v2's aws.CredentialsProvider, so any aws-sdk-go-v2 client can
// sign with an identity pool's credentials:
//
//	pool, _ := cognitoidentity.NewIdentityPoolCredentials(cognitoidentity.IdentityPoolConfig{IdentityPoolID: id})
//	cfg, _ := config.LoadDefaultConfig(ctx, config.WithCredentialsProvider(awsv2.New(pool)))
//	s3.NewFromConfig(cfg) ...
//
// It is a module of its own so that the main package keeps no third-party
// dependencies.
package awsv2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	cognitoidentity "github.com/cognito-identity/cognito-identity/go"
)

// Source is the name the credentials carry (aws.Credentials.Source).
const Source = "CognitoIdentityPool"

// Provider is an aws.CredentialsProvider over an identity pool. Wrap it in
// aws.NewCredentialsCache (config.WithCredentialsProvider does) so the SDK
// asks only when the credentials near their expiry; the pool provider keeps
// its own cache and refreshes once for any number of callers as well.
type Provider struct {
	pool *cognitoidentity.IdentityPoolCredentials
}

// New adapts pool; closing pool stays the caller's job.
func New(pool *cognitoidentity.IdentityPoolCredentials) *Provider {
	return &Provider{pool: pool}
}

// Retrieve implements aws.CredentialsProvider.
func (p *Provider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := p.pool.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	return aws.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Source:          Source,
		CanExpire:       true,
		Expires:         c.Expires,
	}, nil
}

var _ aws.CredentialsProvider = (*Provider)(nil)
