package load

import (
	"bufio"
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"unsafe"
)

// established is TCP_ESTABLISHED (linux/tcp_states.h), in TCP_INFO's first
// byte and, as "01", in /proc/net/tcp's st column.
const established = 1

// peerClosed reports whether the server has ended a connection that we do
// not read. Two places can tell, and either is enough:
//
//   - our end's TCP state (TCP_INFO, whose first byte is the state): the
//     server's FIN (or reset) has come, though unread data may wait before
//     it;
//   - the server's end, which on loopback this machine lists too
//     (/proc/net/tcp): once the server closes, its socket leaves the
//     established state at once, even while its FIN waits behind data our
//     full receive window cannot take (a reader that never reads stops the
//     window, and then nothing the server sends, FIN included, can arrive).
//
// ok is false when neither state can be read.
func peerClosed(conn net.Conn) (closed, ok bool) {
	if tc, isTLS := conn.(*tls.Conn); isTLS {
		conn = tc.NetConn()
	}
	ours, okOurs := tcpState(conn)
	if okOurs && ours != established {
		return true, true
	}
	theirs, okTheirs := serverState(conn)
	if okTheirs && theirs != established {
		return true, true
	}
	return false, okOurs || okTheirs
}

// tcpState reads the state of conn's socket with TCP_INFO.
func tcpState(conn net.Conn) (state byte, ok bool) {
	sc, isTCP := conn.(syscall.Conn)
	if !isTCP {
		return 0, false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return 0, false
	}
	var info [8]byte
	size := uint32(len(info))
	var errno syscall.Errno
	err = raw.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall6(syscall.SYS_GETSOCKOPT, fd, syscall.IPPROTO_TCP, syscall.TCP_INFO,
			uintptr(unsafe.Pointer(&info[0])), uintptr(unsafe.Pointer(&size)), 0)
	})
	if err != nil || errno != 0 {
		return 0, false
	}
	return info[0], true
}

// serverState finds the server's end of conn in /proc/net/tcp or tcp6 (its
// local address is our remote one, and the other way round) and returns its
// state; ok is false when it is not listed.
func serverState(conn net.Conn) (state byte, ok bool) {
	local, isTCP := conn.RemoteAddr().(*net.TCPAddr)
	remote, _ := conn.LocalAddr().(*net.TCPAddr)
	if !isTCP || remote == nil {
		return 0, false
	}
	want := procAddr(local) + " " + procAddr(remote) + " "
	for _, name := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// "  sl  local_address rem_address   st …": "0: 0100007F:1F90 0100007F:A2C4 01 …"
			_, rest, _ := strings.Cut(strings.TrimSpace(sc.Text()), ": ")
			if after, found := strings.CutPrefix(rest, want); found {
				var st byte
				if _, err := fmt.Sscanf(after, "%02X", &st); err == nil {
					f.Close()
					return st, true
				}
			}
		}
		f.Close()
	}
	return 0, false
}

// procAddr writes an address as /proc/net/tcp does: each 32-bit word of the
// IP as the kernel holds it (%08X of the word in the machine's byte order),
// then the port in hex.
func procAddr(a *net.TCPAddr) string {
	ip := a.IP.To4()
	if ip == nil {
		ip = a.IP.To16()
	}
	var b strings.Builder
	for i := 0; i+4 <= len(ip); i += 4 {
		fmt.Fprintf(&b, "%08X", binary.NativeEndian.Uint32(ip[i:i+4]))
	}
	fmt.Fprintf(&b, ":%04X", a.Port)
	return b.String()
}
