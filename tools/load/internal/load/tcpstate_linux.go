package load

import (
	"crypto/tls"
	"net"
	"syscall"
	"unsafe"
)

// peerClosed reports whether the server has ended a connection that we do
// not read: whether its FIN (or reset) has come, though unread data may
// wait before it. It asks the kernel for the TCP state (TCP_INFO, whose
// first byte is the state): anything but established means the server
// has let go. ok is false when the state cannot be read.
func peerClosed(conn net.Conn) (closed, ok bool) {
	if tc, isTLS := conn.(*tls.Conn); isTLS {
		conn = tc.NetConn()
	}
	sc, isTCP := conn.(syscall.Conn)
	if !isTCP {
		return false, false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false, false
	}
	const established = 1 // TCP_ESTABLISHED, linux/tcp_states.h
	var info [8]byte
	size := uint32(len(info))
	var errno syscall.Errno
	err = raw.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall6(syscall.SYS_GETSOCKOPT, fd, syscall.IPPROTO_TCP, syscall.TCP_INFO,
			uintptr(unsafe.Pointer(&info[0])), uintptr(unsafe.Pointer(&size)), 0)
	})
	if err != nil || errno != 0 {
		return false, false
	}
	return info[0] != established, true
}
