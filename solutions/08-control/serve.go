package control

import (
	"bufio"
	"net"

	accept "github.com/wsfromtcp/workshop/solutions/01-accept"
	request "github.com/wsfromtcp/workshop/solutions/02-request"
	handshake "github.com/wsfromtcp/workshop/solutions/03-handshake"
)

// Serve serves WebSocket connections on addr: step 3's handshake.Listen,
// with each connection wrapped in a Conn and handed to handle on its own
// goroutine. When handle returns, the connection is closed with
// StatusNormalClosure, if it was not closed already.
func Serve(addr string, handle func(*Conn)) (*accept.Server, error) {
	return handshake.Listen(addr, func(conn net.Conn, br *bufio.Reader, _ *request.Request) {
		c := NewConn(conn, br)
		handle(c)
		_ = c.Close(StatusNormalClosure, "")
	})
}

// Echo sends every message back to the client as it came, text as text and
// binary as binary, until the connection ends.
func Echo(c *Conn) {
	for {
		op, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		if err := c.WriteMessage(op, data); err != nil {
			return
		}
	}
}
