package cognitoidentity

import (
	"context"
	"testing"
)

// TestATypedCallAllocatesLittle: a typed call's own allocations (the
// arguments' buffer, the call's state, the result's copy and its decoded
// value) stay few; a closure or a captured variable that escaped again, or
// a decode that stores through pointers, shows here. 12 when written, with
// go1.26 (the emulator's answer has nine headers).
func TestATypedCallAllocatesLittle(t *testing.T) {
	c := newClient(t)
	p := createPool(t, c, "allocations")
	in := &DescribeIdentityPoolInput{IdentityPoolId: p.IdentityPoolId}
	ctx := context.Background()
	n := testing.AllocsPerRun(200, func() {
		if _, err := c.DescribeIdentityPool(ctx, in); err != nil {
			t.Fatal(err)
		}
	})
	if n > 14 {
		t.Errorf("%.1f allocations a call, want at most 14", n)
	}
}
