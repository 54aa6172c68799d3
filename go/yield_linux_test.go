package cognitoidentity

import (
	"net"
	"syscall"
	"testing"
)

// connFD dials addr and gives the descriptor of the client side.
func connFD(t *testing.T, network, addr string) int {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("cannot listen on %s %s: %v", network, addr, err)
	}
	t.Cleanup(func() { ln.Close() })
	c, err := net.Dial(network, ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	raw, err := c.(syscall.Conn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	fd := -1
	if err := raw.Control(func(f uintptr) { fd = int(f) }); err != nil {
		t.Fatal(err)
	}
	return fd
}

func TestPeerIsLoopback(t *testing.T) {
	if !peerIsLoopback(connFD(t, "tcp4", "127.0.0.1:0")) {
		t.Error("127.0.0.1 is loopback")
	}
	t.Run("ipv6", func(t *testing.T) {
		if !peerIsLoopback(connFD(t, "tcp6", "[::1]:0")) {
			t.Error("::1 is loopback")
		}
	})
	t.Run("another address of this machine", func(t *testing.T) {
		addrs, _ := net.InterfaceAddrs()
		for _, a := range addrs {
			if ip, ok := a.(*net.IPNet); ok && ip.IP.To4() != nil && !ip.IP.IsLoopback() {
				if peerIsLoopback(connFD(t, "tcp4", net.JoinHostPort(ip.IP.String(), "0"))) {
					t.Errorf("%s is not loopback", ip.IP)
				}
				return
			}
		}
		t.Skip("no address but loopback")
	})
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fds[0])
	defer syscall.Close(fds[1])
	if peerIsLoopback(fds[0]) || peerIsLoopback(-1) {
		t.Error("a Unix socket or a bad descriptor is not loopback")
	}
}
