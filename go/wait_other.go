//go:build !unix

package cognitoidentity

import (
	"context"
	"time"
)

// waitReadable: the core splits calls only on Unix, so this is not reached;
// finishing the call would wait in its read.
func waitReadable(ctx context.Context, _ int, _ time.Duration) error {
	return ctx.Err()
}
