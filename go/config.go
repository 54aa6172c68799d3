package cognitoidentity

import "fmt"

// String prints the settings with the secret key and session token redacted.
func (c Config) String() string {
	type plain Config
	c.SecretAccessKey = redactString(c.SecretAccessKey)
	c.SessionToken = redactString(c.SessionToken)
	return fmt.Sprintf("%+v", plain(c))
}

// GoString is String, so that %#v does not print secrets either.
func (c Config) GoString() string { return c.String() }
