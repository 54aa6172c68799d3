package cognitoidentity

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
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

// TestConnectionsPassFromCallToCall: many quick calls of 16 goroutines on
// one client, so that a connection a call has just finished on serves
// another call at once, while the first is still returning; half the calls
// have a context that can end (its wake-up is registered for each wait).
// Run with -race: a call that touched its connection's waiter after its
// last step would race with, or break, the next call.
func TestConnectionsPassFromCallToCall(t *testing.T) {
	c := newClient(t)
	pool := createPool(t, c, "go-handover")
	const goroutines, calls = 16, 150
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				ctx, cancel := context.Background(), context.CancelFunc(func() {})
				if (g+i)%2 == 0 {
					ctx, cancel = context.WithCancel(context.Background())
				}
				out, err := c.DescribeIdentityPool(ctx, &DescribeIdentityPoolInput{IdentityPoolId: pool.IdentityPoolId})
				cancel()
				if err == nil && out.IdentityPoolId != pool.IdentityPoolId {
					err = fmt.Errorf("described %s, asked for %s", out.IdentityPoolId, pool.IdentityPoolId)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
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

// TestSlowCallsHoldNoThreads: 64 calls that the emulator delays 500 ms wait
// in Go's netpoller, not each in a thread blocked in a C read. While they
// wait, no thread of the process may sit in a read-type system call for
// them. (Counting the threads the process made instead depended on load: a
// short C call that outlasts 20 us still hands its P over, and one CI run
// beside the fuzz build made 19 threads for 64 split calls.)
func TestSlowCallsHoldNoThreads(t *testing.T) {
	c := newClient(t)
	pool := createPool(t, c, "go-slow-calls")
	const calls = 64
	injectFault(t, fault{Kind: "delay", Count: calls, Operation: "DescribeIdentityPool", DelayMS: 500})
	threads := pprof.Lookup("threadcreate")
	before := threads.Count()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := c.DescribeIdentityPool(context.Background(), &DescribeIdentityPoolInput{IdentityPoolId: pool.IdentityPoolId})
			if err == nil && out.IdentityPoolName != "go-slow-calls" {
				err = fmt.Errorf("described %q", out.IdentityPoolName)
			}
			errs <- err
		}()
	}
	// Sampled through the middle of the delay: the most threads seen in a read.
	blocked, sampled := 0, false
	for time.Since(start) < 400*time.Millisecond {
		time.Sleep(25 * time.Millisecond)
		if time.Since(start) < 100*time.Millisecond {
			continue
		}
		if n, ok := threadsInRead(); ok {
			sampled = true
			blocked = max(blocked, n)
		}
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	grown := threads.Count() - before
	// A thread per call would leave about 64 in reads (63 threads were made
	// before split calls); a split call leaves none.
	if sampled && blocked > calls/8 {
		t.Fatalf("%d slow calls at once: %d threads waited in a read (%d threads made)", calls, blocked, grown)
	}
	// Where the threads' system calls cannot be read, the count of threads
	// made is the check: loose, since it grows with the machine's load.
	if !sampled && grown > calls*3/4 {
		t.Fatalf("%d slow calls at once made %d OS threads", calls, grown)
	}
	if took < 500*time.Millisecond || took > 5*time.Second {
		t.Fatalf("%d calls delayed 500 ms each took %v together", calls, took)
	}
}

// threadsInRead counts the threads of this process blocked in a system call
// that waits for a descriptor to be readable (Linux's
// /proc/self/task/*/syscall), or reports false where that cannot be read.
func threadsInRead() (int, bool) {
	reads, ok := readSyscalls[runtime.GOARCH]
	if !ok || runtime.GOOS != "linux" {
		return 0, false
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return 0, false
	}
	n, read := 0, false
	for _, task := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + task.Name() + "/syscall")
		if err != nil {
			continue // the thread has exited, or the kernel does not say
		}
		fields := strings.Fields(string(b))
		if len(fields) == 0 {
			continue
		}
		read = true // at least the reading thread itself ("running")
		if nr, err := strconv.Atoi(fields[0]); err == nil && reads[nr] {
			n++
		}
	}
	return n, read
}

// readSyscalls: read, poll, ppoll, select, pselect6, recvfrom and recvmsg by
// number (epoll waits and futexes are the netpoller and idle threads).
var readSyscalls = map[string]map[int]bool{
	"amd64": {0: true, 7: true, 271: true, 23: true, 270: true, 45: true, 47: true},
	"arm64": {63: true, 73: true, 72: true, 207: true, 212: true},
}

// TestClosedConnectionsAreReleased: what the package keeps per connection
// (its netpoller registration) goes when the core closes the connection, here
// by abandoning calls whose context ends while they wait.
func TestClosedConnectionsAreReleased(t *testing.T) {
	c := newClient(t)
	pool := createPool(t, c, "go-closed-connections")
	const rounds = 8
	injectFault(t, fault{Kind: "delay", Count: rounds, Operation: "DescribeIdentityPool", DelayMS: 300})
	in := &DescribeIdentityPoolInput{IdentityPoolId: pool.IdentityPoolId}
	for i := 0; i < rounds; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		_, err := c.DescribeIdentityPool(ctx, in)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("round %d: err = %v, want the context's deadline", i, err)
		}
		// On a new connection: the abandoned call's was closed.
		if _, err := c.GetId(context.Background(), &GetIdInput{IdentityPoolId: pool.IdentityPoolId}); err != nil {
			t.Fatal(err)
		}
	}
	c.conns.mu.Lock()
	kept := len(c.conns.byID)
	c.conns.mu.Unlock()
	if kept > 2 {
		t.Fatalf("%d connection entries kept after %d abandoned calls", kept, rounds)
	}
}
