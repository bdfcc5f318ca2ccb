package performance

import (
	"bufio"
	"net"

	accept "github.com/wsfromtcp/workshop/steps/01-accept"
	request "github.com/wsfromtcp/workshop/steps/02-request"
	handshake "github.com/wsfromtcp/workshop/steps/03-handshake"
)

// Serve serves WebSocket connections on addr as step 8's Serve does: each
// connection wrapped in a Conn and handed to handle on its own goroutine,
// and closed with StatusNormalClosure when handle returns.
func Serve(addr string, handle func(*Conn)) (*accept.Server, error) {
	return handshake.Listen(addr, func(conn net.Conn, br *bufio.Reader, _ *request.Request) {
		c := NewConn(conn, br)
		handle(c)
		_ = c.Close(StatusNormalClosure, "")
	})
}

// Echo sends every message back to the client as it came, text as text and
// binary as binary, until the connection ends. It reads each message into
// the buffer of the one before, so that in a steady state, messages no
// larger than those before, it allocates nothing.
func Echo(c *Conn) {
	// TODO(step 12): read each message with AppendMessage into the buffer
	// of the one before, and write it back, until either fails.
	panic("TODO(step 12): write Echo")
}
