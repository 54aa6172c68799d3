package cognitoidentity

import (
	"encoding/json"
	"fmt"
	"time"
)

// Config holds the client's settings; they are the keys of the C ABI's config
// JSON. A zero field is left out, so the SDK default applies (which reads
// AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_COGNITO_IDENTITY, the shared
// credentials and config files and so on, as other AWS SDKs do).
type Config struct {
	Region      string // e.g. "us-east-1"
	EndpointURL string // e.g. a local emulator, "http://127.0.0.1:4566"

	// Static credentials. SessionToken goes with temporary keys.
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Profile         string // a profile of the shared config files

	CABundle string // PEM file of extra trusted roots, for private endpoints

	ConnectTimeout time.Duration // default 3.1s
	ReadTimeout    time.Duration // per attempt; default 60s
	TotalTimeout   time.Duration // whole call, retries included; default none

	// Bounds each fetch of temporary credentials from their source (a role,
	// SSO, credential_process, the container or instance metadata); default 30s.
	CredentialTimeout time.Duration

	MaxAttempts    int           // default 3 (one try plus two retries)
	RetryMode      string        // "standard" (default) or another mode the core accepts
	InitialBackoff time.Duration // base of the full-jitter backoff; default 1s

	UseFIPSEndpoint      bool
	UseDualstackEndpoint bool
	UserAgentExtra       string
	Unsigned             bool // send every request unsigned (no credentials needed)
}

// toJSON gives the C ABI's config document; unset fields are omitted.
func (c Config) toJSON() ([]byte, error) {
	if c.ConnectTimeout < 0 || c.ReadTimeout < 0 || c.TotalTimeout < 0 || c.InitialBackoff < 0 || c.MaxAttempts < 0 ||
		c.CredentialTimeout < 0 {
		return nil, &Error{Code: CodeInvalidConfig, Message: "timeouts, backoff and max attempts must not be negative", Type: "Client", Status: StatusConfiguration}
	}
	m := map[string]any{}
	str := func(key, v string) {
		if v != "" {
			m[key] = v
		}
	}
	dur := func(key string, d time.Duration) {
		if d > 0 {
			m[key] = d.Seconds()
		}
	}
	flag := func(key string, v bool) {
		if v {
			m[key] = true
		}
	}
	str("region", c.Region)
	str("endpoint_url", c.EndpointURL)
	str("aws_access_key_id", c.AccessKeyID)
	str("aws_secret_access_key", c.SecretAccessKey)
	str("aws_session_token", c.SessionToken)
	str("profile", c.Profile)
	str("ca_bundle", c.CABundle)
	dur("connect_timeout", c.ConnectTimeout)
	dur("read_timeout", c.ReadTimeout)
	dur("total_timeout", c.TotalTimeout)
	dur("credential_timeout", c.CredentialTimeout)
	if c.MaxAttempts > 0 {
		m["max_attempts"] = c.MaxAttempts
	}
	str("retry_mode", c.RetryMode)
	dur("initial_backoff", c.InitialBackoff)
	flag("use_fips_endpoint", c.UseFIPSEndpoint)
	flag("use_dualstack_endpoint", c.UseDualstackEndpoint)
	str("user_agent_extra", c.UserAgentExtra)
	flag("unsigned", c.Unsigned)
	return json.Marshal(m)
}

// String prints the settings with the secret key and session token redacted.
func (c Config) String() string {
	type plain Config
	c.SecretAccessKey = redactString(c.SecretAccessKey)
	c.SessionToken = redactString(c.SessionToken)
	return fmt.Sprintf("%+v", plain(c))
}

// GoString is String, so that %#v does not print secrets either.
func (c Config) GoString() string { return c.String() }
