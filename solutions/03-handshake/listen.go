package handshake

import (
	"bufio"
	"net"
	"time"

	accept "github.com/wsfromtcp/workshop/solutions/01-accept"
	request "github.com/wsfromtcp/workshop/solutions/02-request"
)

// Timeout bounds the handshake: how long a client may take to send its
// request head and read the answer. Without it, a client that connects and
// sends half a head would keep its goroutine and connection forever (the
// "slowloris" attack). It bounds the handshake only: a WebSocket may
// rightly stay quiet for hours, so the deadline is lifted once the
// handshake is done. A variable, so that the tests can shorten it; set it
// before Listen. Other packages call it handshake.Timeout.
var Timeout = 10 * time.Second

// OnOpen is called for each connection whose handshake succeeded, with the
// reader the handshake used: the client's frames are read from br, never
// from conn directly, because br may already hold some. The connection is
// closed when OnOpen returns.
type OnOpen func(conn net.Conn, br *bufio.Reader, r *request.Request)

// Listen serves WebSocket handshakes on addr with step 1's server: each
// connection gets a bufio.Reader, a deadline for its head, and Upgrade;
// after a successful handshake the deadline is lifted and onOpen runs.
func Listen(addr string, onOpen OnOpen) (*accept.Server, error) {
	return accept.Listen(addr, func(conn net.Conn) {
		br := bufio.NewReader(conn)
		// RFC 6455 §10.7 (R-10.7-2): a client that never finishes its head is dropped.
		_ = conn.SetDeadline(time.Now().Add(Timeout))
		// RFC 6455 §7.2.2 (R-7.2.2-1): a refused handshake ends here, and step 1 closes TCP.
		r, err := Upgrade(br, conn)
		if err != nil {
			return
		}
		_ = conn.SetDeadline(time.Time{})
		onOpen(conn, br, r)
	})
}
