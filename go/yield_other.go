//go:build !linux

package cognitoidentity

// yieldToLocalServer: only Linux yields (yield_linux.go).
func yieldToLocalServer() {}

func peerIsLoopback(int) bool { return false }
