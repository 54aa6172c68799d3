package cognitoidentity

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestSharedClientManyGoroutines runs 32 goroutines on one client (run it
// with -race): each creates identities and reads them back.
func TestSharedClientManyGoroutines(t *testing.T) {
	c := newClient(t)
	pool := createPool(t, c, "go-concurrency")
	const goroutines, calls = 32, 5
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	ids := make([][]string, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				out, err := c.GetId(ctx, &GetIdInput{IdentityPoolId: pool.IdentityPoolId,
					Logins: map[string]string{"graph.facebook.com": fmt.Sprintf("user-%d-%d", g, i)}})
				if err != nil {
					errs <- err
					return
				}
				d, err := c.DescribeIdentity(ctx, &DescribeIdentityInput{IdentityId: out.IdentityId})
				if err != nil {
					errs <- err
					return
				}
				if d.IdentityId != out.IdentityId {
					errs <- fmt.Errorf("described %s, asked for %s", d.IdentityId, out.IdentityId)
					return
				}
				ids[g] = append(ids[g], out.IdentityId)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, list := range ids {
		for _, id := range list {
			if seen[id] {
				t.Fatalf("identity %s handed out twice", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != goroutines*calls {
		t.Fatalf("%d identities, want %d", len(seen), goroutines*calls)
	}
}

// TestCloseRacesWithCalls closes a client while goroutines still use it.
func TestCloseRacesWithCalls(t *testing.T) {
	c, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				err := c.Call(context.Background(), "ListIdentityPools", map[string]int{"MaxResults": 1}, nil)
				if err != nil && err != ErrClosed {
					t.Error(err)
					return
				}
			}
		}()
	}
	_ = c.Close()
	wg.Wait()
}
