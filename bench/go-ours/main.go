// ours (the cgo package over libcognito_identity.a, release) under the bench protocol:
//
//	go-ours URL OP THREADS CALLS_PER_THREAD MAX_SECS WARMUP
//
// prints {"calls","secs","cpu_s","maxrss_kb"}; THREADS goroutines share one client.
// GO_OURS_CPUPROFILE=FILE writes a CPU profile of the measured calls.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	ci "github.com/cognito-identity/cognito-identity/go"
)

const pool = "us-east-1:00000000-0000-0000-0000-000000000000"

func main() {
	url, op := os.Args[1], os.Args[2]
	threads, _ := strconv.Atoi(os.Args[3])
	calls, _ := strconv.Atoi(os.Args[4])
	maxSecs, _ := strconv.ParseFloat(os.Args[5], 64)
	warmup, _ := strconv.Atoi(os.Args[6])
	client, err := ci.New(ci.Config{
		Region:          "us-east-1",
		EndpointURL:     url,
		AccessKeyID:     "test",
		SecretAccessKey: "test",
	})
	if err != nil {
		panic(err)
	}
	defer client.Close()
	ctx := context.Background()
	one := func() {
		if op == "GetId" {
			out, err := client.GetId(ctx, &ci.GetIdInput{IdentityPoolId: pool})
			if err != nil || out.IdentityId == "" {
				panic(fmt.Sprint("GetId: ", err))
			}
		} else {
			out, err := client.DescribeIdentityPool(ctx, &ci.DescribeIdentityPoolInput{IdentityPoolId: pool})
			if err != nil || out.IdentityPoolName == "" {
				panic(fmt.Sprint("DescribeIdentityPool: ", err))
			}
		}
	}
	for i := 0; i < warmup; i++ {
		one()
	}
	max := time.Duration(maxSecs * float64(time.Second))
	if path := os.Getenv("GO_OURS_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			panic(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			panic(err)
		}
		defer f.Close()
	}
	cpu0 := cpuSeconds()
	start := time.Now()
	done := make([]int, threads)
	var wg sync.WaitGroup
	for t := 0; t < threads; t++ {
		wg.Add(1)
		go func(t int) {
			defer wg.Done()
			n := 0
			for n < calls && time.Since(start) < max {
				one()
				n++
			}
			done[t] = n
		}(t)
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	cpu := cpuSeconds() - cpu0
	pprof.StopCPUProfile()
	total := 0
	for _, n := range done {
		total += n
	}
	fmt.Printf("{\"calls\":%d,\"secs\":%.9f,\"cpu_s\":%.9f,\"maxrss_kb\":%d}\n", total, secs, cpu, peakRSSKiB())
}

// peakRSSKiB is VmHWM (getrusage's maxrss survives exec: it would be the parent's).
func peakRSSKiB() int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			n, _ := strconv.Atoi(strings.Fields(l)[1])
			return n
		}
	}
	return -1
}

// cpuSeconds is the user + system time of the whole process.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
