package cognitoidentity

import "syscall"

// A call whose answer has not arrived when its request is written yields
// the CPU once before it waits, if its server is on this machine (a peer on
// loopback: the emulator, a local proxy or endpoint). Why: such a server
// needs a CPU to answer, and with one to share (a container limited to one
// CPU, or the bench's pinned run) it can only run once this thread stops;
// parking the goroutine instead costs a netpoller round and, as often as
// not, a hand-over of the processor to another thread. Measured pinned
// against nginx: 9-18 % less time a call (bench/analysis.md, eighth run).
// Where another CPU is idle, the yield returns at once. A raw system call:
// the processor stays with this goroutine, so the scheduler does not hand
// it over for a call that is about to finish (entering the system call as
// a blocking one kept a third of the gain). The cost of keeping it: while the thread
// waits for its turn, the other goroutines of this processor wait too; other
// processors steal them, and with one processor (GOMAXPROCS=1) they would
// have waited for the same CPU anyway.
func yieldToLocalServer() {
	syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
}

// peerIsLoopback reports whether the socket fd is connected to a loopback
// address (127.0.0.0/8, ::1, or an IPv4-mapped loopback).
func peerIsLoopback(fd int) bool {
	sa, err := syscall.Getpeername(fd)
	if err != nil {
		return false
	}
	switch a := sa.(type) {
	case *syscall.SockaddrInet4:
		return a.Addr[0] == 127
	case *syscall.SockaddrInet6:
		var loop6 [16]byte
		loop6[15] = 1
		if a.Addr == loop6 {
			return true
		}
		var mapped [12]byte
		mapped[10], mapped[11] = 0xff, 0xff
		return [12]byte(a.Addr[:12]) == mapped && a.Addr[12] == 127
	}
	return false
}
