package control

import (
	"bufio"
	"errors"
	"net"
	"time"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
)

// MaxMessageSize is the default limit on a message, summed over its
// fragments (RFC 6455 §10.4): large enough for any chat or echo test, small
// enough that a client cannot make the server hold a gigabyte.
const MaxMessageSize = 16 << 20

// writeWait bounds every write: a client that stops reading fills the TCP
// buffers, and a write without a deadline would then block forever while
// holding the write lock, so that nothing else could be sent either.
const writeWait = 10 * time.Second

// closeWait bounds how long the server waits for the client's answer to its
// close frame, and for the client to close TCP after that, before it closes
// TCP anyway: a client that never answers must not keep a goroutine. It is
// a variable only so that a check can shorten its wait.
var closeWait = 2 * time.Second

// ErrClosed is returned by WriteMessage once a close frame has been sent:
// RFC 6455 §5.5.1 says that after it, the endpoint "MUST NOT send any more
// data frames".
var ErrClosed = errors.New("control: connection is closed")

// Conn is a WebSocket connection after the opening handshake, on the server
// side. One goroutine at a time may call ReadMessage; WriteMessage and Close
// may be called from any number of goroutines.
type Conn struct {
	conn net.Conn
	br   *bufio.Reader // the handshake's reader, which may already hold frames

	// TODO(step 8): add what a connection needs: the message size limit and
	// a step 7 Reader; a mutex for reading, how the connection ended, and a
	// way to wait for that end; a mutex for writing and whether a close
	// frame has gone out.
}

// NewConn wraps a connection whose opening handshake has succeeded; br is
// the reader the handshake used, since it may already hold the first
// frames.
func NewConn(conn net.Conn, br *bufio.Reader) *Conn {
	c := &Conn{conn: conn, br: br}
	c.SetMaxMessageSize(MaxMessageSize)
	return c
}

// SetMaxMessageSize sets the largest message ReadMessage accepts; a longer
// one fails the connection with StatusMessageTooBig (RFC 6455 §7.4.1). Call
// it before the first ReadMessage.
func (c *Conn) SetMaxMessageSize(n int) {
	// TODO(step 8): keep the limit, and make a step 7 Reader whose frames
	// come from step 6's ReadClientFrame and pass CheckFrame.
}

// ReadMessage returns the next text or binary message. Underneath, it
// answers pings with pongs, ignores pongs, and runs the closing handshake.
// When the connection ends it returns a *CloseError: the client's close
// code and reason; the code the connection was failed with, with the cause
// in Err; or StatusAbnormalClosure when TCP broke without a close frame.
// Every later call returns the same error. The data is the caller's to
// keep: no later call changes it (step 9 hands one slice to every client).
func (c *Conn) ReadMessage() (frame.Opcode, []byte, error) {
	// TODO(step 8): take messages and control frames from the Reader.
	// Answer a ping, ignore a pong, answer a close and close TCP. On an
	// error, fail the connection with the status code it calls for.
	panic("TODO(step 8): write Conn.ReadMessage")
}

// WriteMessage sends data as one text or binary message; any other opcode
// is an error (control frames are the Conn's own business). Text must be
// valid UTF-8, or the client would fail the connection with 1007 (§8.1):
// invalid text is refused with an error wrapping message.ErrInvalidUTF8.
// After a close frame was sent it returns ErrClosed.
func (c *Conn) WriteMessage(op frame.Opcode, data []byte) error {
	// TODO(step 8): refuse other opcodes and invalid text; then write one
	// whole frame, with a deadline, unless a close frame went first.
	panic("TODO(step 8): write Conn.WriteMessage")
}

// Close starts the closing handshake (RFC 6455 §7.1.2): it sends a close
// frame with code and reason (cut to fit in 123 bytes), after which nothing
// more is sent. Someone must read the client's answer: a running
// ReadMessage does; if there is none, Close reads it itself. Either way
// Close returns once the connection has ended, so that a server shutting
// down can close TCP after it without cutting the handshake short; the
// wait is bounded by closeWait for the answer and closeWait for the
// client's FIN, after which TCP is closed regardless. Closing a connection
// that is already closing does nothing. A code that ValidOnWire refuses
// (1005, 1006, 1015, …) is an error, and nothing is sent.
func (c *Conn) Close(code StatusCode, reason string) error {
	// TODO(step 8): send the close frame unless one went out already, then
	// make sure the answer is read, and return once the connection has
	// ended, within the bounds above.
	panic("TODO(step 8): write Conn.Close")
}
