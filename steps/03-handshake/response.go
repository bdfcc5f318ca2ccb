package handshake

import (
	"io"
)

// WriteAccept writes the server's opening handshake (RFC 6455 §4.2.2 item
// 5): 101 Switching Protocols with Upgrade, Connection and
// Sec-WebSocket-Accept. No Sec-WebSocket-Protocol or
// Sec-WebSocket-Extensions is sent: this server selects no subprotocol and
// no extension, and a server may only echo one the client offered.
func WriteAccept(w io.Writer, key string) error {
	// TODO(step 3): write the status line, the three header fields and the
	// empty line, each ending in CRLF.
	panic("TODO(step 3): write WriteAccept")
}

// WriteReject answers a request that is not a valid opening handshake with
// the status from Status, a one-line plain-text reason with a
// Content-Length of exactly its size, and Connection: close, since the
// server closes the connection next. Every line of the head ends in CRLF. A 426 also carries
// Sec-WebSocket-Version: 13, the versions the server speaks (RFC 6455 §4.4).
func WriteReject(w io.Writer, err error) error {
	// TODO(step 3): write the status line for Status(err), the header fields
	// (with Sec-WebSocket-Version for a 426), the empty line and the body.
	panic("TODO(step 3): write WriteReject")
}
